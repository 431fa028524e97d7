package chatapp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** send-throughput's check of each answer: a 201 counts only if it names the send it answers. */
class SendThroughputTest {

    private static final String ANSWER = "{\"messageId\":\"000000000042-1a2b\",\"conversationId\":\"c1\","
            + "\"clientMessageId\":\"5f0c2b1e-0000-4000-8000-000000000001\",\"content\":{\"contentType\":\"text\","
            + "\"value\":\"benchmark message 7\"}}";

    @Test
    void aCreatedAnswerNamingTheSendGivesItsMessageId() {
        assertThat(SendThroughput.ackedId(ANSWER, "5f0c2b1e-0000-4000-8000-000000000001")).isEqualTo("000000000042-1a2b");
    }

    @Test
    void anAnswerForAnotherSendIsNotAnAck() {
        assertThat(SendThroughput.ackedId(ANSWER, "5f0c2b1e-0000-4000-8000-000000000002")).isNull();
        assertThat(SendThroughput.ackedId("{\"clientMessageId\":\"x\"}", "x")).isNull();
        assertThat(SendThroughput.ackedId("{\"messageId\":\"m1", "5f0c2b1e")).isNull();
    }
}
