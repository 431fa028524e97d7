package chatapp.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md, "Profiles": a display name holds no character that shows nothing. */
class ProfileRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"Ma\u034Fria", "Ma\uFE0Fria", "Ma\uFE00ria", "Ma\uDB40\uDD00ria", "Ma\uDB40\uDDEFria",
        "Ma\u115Fria", "Ma\u1160ria", "Ma\u3164ria", "Ma\uFFA0ria", "Ma\u2800ria", "Ma\u200Bria", "Ma\u2060ria",
        "Ma\u00ADria", "1\uFE0F Maria", "Maria\u2028Hansen", "Maria\u2029Hansen"})
    void aDisplayNameWithAnInvisibleCharacterIsRefused(String name) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ProfileRules.displayName(name, errors)).isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("displayName");
        assertThat(errors.get(0).message()).startsWith("must not contain control, direction or invisible characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Maria", "Maria \u2764\uFE0F", "Ana \uD83D\uDE00", "山田 花子"})
    void visibleNamesAndAnEmojiWithItsPresentationSelectorAreAccepted(String name) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ProfileRules.displayName(name, errors)).as(errors.toString()).isNotNull();
        assertThat(errors).isEmpty();
    }
}
