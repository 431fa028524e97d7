package chatapp.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import org.junit.jupiter.api.Test;

/** What a send may hold (API.md "Message", issue 13), checked before any store is asked. */
class MessageRulesTest {

    @Test
    void textOfOneToTenThousandCodePointsIsAccepted() {
        MessageRules.check("u", "a", Content.text("x"));
        MessageRules.check("u", "a", Content.text("x".repeat(10_000)));
        MessageRules.check("u", "a", Content.text("👨‍👩‍👧".repeat(2_000))); // 5 code points each
        MessageRules.check("u", "A-z_0-9".repeat(9) + "a", Content.text(" padded "));
    }

    @Test
    void tooLongBlankOrBrokenTextIsRefusedNamingTheField() {
        assertInvalid(Content.text("x".repeat(10_001)), "content.value", "at most 10000");
        assertInvalid(Content.text("😀".repeat(10_001)), "content.value", "at most 10000");
        assertInvalid(Content.text(""), "content.value", "blank");
        assertInvalid(Content.text(" \n\t "), "content.value", "blank");
        assertInvalid(Content.text(null), "content.value", "required");
        assertInvalid(Content.text("half an emoji \uD83D"), "content.value", "surrogate");
        assertInvalid(null, "content", "required");
        assertInvalid(new Content(null, "x"), "content.contentType", "required");
        assertInvalid(new Content("html", "<b>x</b>"), "content.contentType", "text, image or video");
    }

    /** Issue 21: a photo's or video's caption follows the rules of text, up to 1,000 characters; text has none. */
    @Test
    void captionsFollowTheRulesOfTextUpToAThousandCharacters() {
        MessageRules.check("u", "a", new Content(Content.IMAGE, "m-1", "x".repeat(1_000)));
        MessageRules.check("u", "a", new Content(Content.VIDEO, "m-1", "the 🎨 drawing\nline two"));
        MessageRules.check("u", "a", new Content(Content.VIDEO, "m-1", null));
        assertInvalid(new Content(Content.IMAGE, "m-1", "x".repeat(1_001)), "content.caption", "at most 1000");
        assertInvalid(new Content(Content.IMAGE, "m-1", " \u200B "), "content.caption", "blank");
        assertInvalid(new Content(Content.VIDEO, "m-1", "a\u0007b"), "content.caption", "U+0007");
        assertInvalid(new Content(Content.TEXT, "hi", "a caption"), "content.caption", "only a photo or video");
    }

    @Test
    void anEditWithACaptionIsRefusedNamingIt() {
        MessageRules.checkEdit(Content.text("fixed"));
        assertThatThrownBy(() -> MessageRules.checkEdit(new Content(Content.TEXT, "fixed", "a caption")))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field).containsExactly("content.caption"));
    }

    @Test
    void textOfInvisibleCharactersAloneIsBlank() {
        for (String invisible : new String[] {"\u200B", "\u200C\u200D", "\u2060", "\uFEFF", "\u00AD",
                " \u200B\n\u3000\u00A0", "\u3164", "\u2800", "\uFE0F", "\u200E\u200F", "\uDB40\uDC20"}) {
            assertInvalid(Content.text(invisible), "content.value", "blank");
        }
    }

    @Test
    void emojiSequencesAndInvisibleCharactersBesideVisibleOnesAreText() {
        MessageRules.check("u", "a", Content.text("\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67")); // family (ZWJ)
        MessageRules.check("u", "a", Content.text("\u2764\uFE0F")); // red heart with variation selector
        MessageRules.check("u", "a", Content.text("\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08")); // rainbow flag
        MessageRules.check("u", "a", Content.text("hi\u200B"));
        MessageRules.check("u", "a", Content.text("\u0645\u0631\u062D\u0628\u0627")); // Arabic
        MessageRules.check("u", "a", Content.text("line one\r\n\tline two"));
    }

    @Test
    void controlCharactersOtherThanTabLineFeedAndCarriageReturnAreRefusedNamingTheFirst() {
        assertInvalid(Content.text("hello\u0000world"), "content.value", "U+0000");
        assertInvalid(Content.text("hello\u0000world"), "content.value", "at character 6");
        assertInvalid(Content.text("\u001B[31mred"), "content.value", "U+001B");
        assertInvalid(Content.text("bell\u0007"), "content.value", "U+0007");
        assertInvalid(Content.text("del\u007F"), "content.value", "U+007F");
        assertInvalid(Content.text("c1\u0085"), "content.value", "U+0085");
        assertInvalid(Content.text("\u0000"), "content.value", "control characters");
    }

    @Test
    void aPhotoOrVideoMustNameAMediaId() {
        MessageRules.check("u", "a", new Content("image", "some-media-id"));
        MessageRules.check("u", "a", new Content("video", "some-media-id"));
        assertInvalid(new Content("image", null), "content.value", "mediaId");
        assertInvalid(new Content("video", "../etc/passwd"), "content.value", "mediaId");
    }

    @Test
    void clientMessageIdIsOneToSixtyFourUrlSafeCharacters() {
        for (String bad : new String[] {null, "", "x".repeat(65), "has space", "slash/", "ünicode", "dot."}) {
            assertThatThrownBy(() -> MessageRules.check("u", bad, Content.text("hi")))
                    .isInstanceOfSatisfying(ChatAppException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("clientMessageId");
                    });
        }
        MessageRules.check("u", "x".repeat(64), Content.text("hi"));
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() {
        assertThatThrownBy(() -> MessageRules.check("u", "", Content.text("")))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.fieldErrors())
                        .extracting(FieldError::field).containsExactly("clientMessageId", "content.value"));
    }

    @Test
    void messageIdsSortInSequenceOrderAndAreUniqueAcrossConversations() {
        String nine = ChatStore.messageId(9);
        String ten = ChatStore.messageId(10);
        assertThat(nine.compareTo(ten)).isNegative();
        assertThat(ChatStore.sequenceOf(ten)).isEqualTo(10);
        assertThat(ChatStore.isMessageId(ten)).isTrue();
        assertThat(ChatStore.messageId(10)).isNotEqualTo(ten);
        assertThat(ChatStore.isMessageId("#conversation")).isFalse();
        assertThat(ChatService.conversationId("a", "b")).isEqualTo(ChatService.conversationId("b", "a"))
                .hasSize(22).isNotEqualTo(ChatService.conversationId("a", "c"));
    }

    private static void assertInvalid(Content content, String field, String says) {
        assertThatThrownBy(() -> MessageRules.check("u", "client-1", content))
                .isInstanceOfSatisfying(ChatAppException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.fieldErrors()).singleElement().satisfies(f -> {
                        assertThat(f.field()).isEqualTo(field);
                        assertThat(f.message()).contains(says);
                    });
                });
    }
}
