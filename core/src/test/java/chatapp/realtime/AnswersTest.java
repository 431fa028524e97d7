package chatapp.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Answers}: frame order whatever order the writes complete in, the window, closing. */
class AnswersTest {

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Test
    void answersLeaveInFrameOrderWhateverOrderTheyAreReadyIn() {
        Answers answers = new Answers(4, sent::add);
        Answers.Entry first = answers.reserveSend();
        Answers.Entry second = answers.reserveSend();
        answers.answer("pong");
        answers.afterPending(() -> sent.add("closed"));

        answers.complete(second, "ack 2");
        assertThat(sent).as("waits for the first send").isEmpty();
        answers.complete(first, "ack 1");
        assertThat(sent).containsExactly("ack 1", "ack 2", "pong", "closed");
        answers.awaitAnswered();
        answers.answer("pong 2");
        assertThat(sent).as("nothing pending: at once").endsWith("pong 2");
    }

    @Test
    void aFullWindowMakesTheNextSendWaitForRoom() throws Exception {
        Answers answers = new Answers(2, sent::add);
        Answers.Entry a = answers.reserveSend();
        answers.reserveSend();
        AtomicReference<Answers.Entry> third = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> third.set(answers.reserveSend()));
        reader.join(Duration.ofMillis(200));
        assertThat(reader.isAlive()).as("waits while two sends are in flight").isTrue();
        assertThat(answers.sendsInFlight()).isEqualTo(2);

        answers.complete(a, "ack 1");
        reader.join(Duration.ofSeconds(5));
        assertThat(reader.isAlive()).isFalse();
        assertThat(third.get()).isNotNull();
        assertThat(sent).containsExactly("ack 1");
    }

    @Test
    void closingDropsPendingAnswersAndReleasesAWaitingSend() throws Exception {
        Answers answers = new Answers(1, sent::add);
        Answers.Entry a = answers.reserveSend();
        AtomicReference<Answers.Entry> waiting = new AtomicReference<>(a);
        Thread reader = Thread.ofVirtual().start(() -> waiting.set(answers.reserveSend()));
        reader.join(Duration.ofMillis(100));
        assertThat(reader.isAlive()).isTrue();

        answers.close();
        reader.join(Duration.ofSeconds(5));
        assertThat(waiting.get()).as("the waiting send is not made").isNull();
        answers.complete(a, "ack 1");
        answers.answer("pong");
        answers.afterPending(() -> sent.add("action"));
        assertThat(sent).isEmpty();
        answers.awaitAnswered(); // returns: closed
    }
}
