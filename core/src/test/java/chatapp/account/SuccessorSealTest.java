package chatapp.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.Ids;
import org.junit.jupiter.api.Test;

/** The sealed successor of a rotation opens for the token it replaced and for nothing else. */
class SuccessorSealTest {

    @Test
    void opensOnlyWithThePresentedTokenAndOnlyUnaltered() {
        String presented = Ids.randomToken(32);
        String successor = Ids.randomToken(32);
        String sealed = SuccessorSeal.seal(successor, presented);

        assertThat(sealed).doesNotContain(successor);
        assertThat(SuccessorSeal.open(sealed, presented)).contains(successor);
        assertThat(SuccessorSeal.open(sealed, Ids.randomToken(32))).isEmpty();
        assertThat(SuccessorSeal.open(sealed, Accounts.tokenHash(presented))).as("the stored hash is no key").isEmpty();
        char[] altered = sealed.toCharArray();
        altered[20] = altered[20] == 'A' ? 'B' : 'A';
        assertThat(SuccessorSeal.open(new String(altered), presented)).isEmpty();
        assertThat(SuccessorSeal.open("not base64 !", presented)).isEmpty();
        assertThat(SuccessorSeal.open("", presented)).isEmpty();
        assertThat(SuccessorSeal.seal(successor, presented)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }
}
