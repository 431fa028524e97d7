package chatapp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.bench.Pairs.Pair;
import chatapp.bench.Traffic.Send;
import chatapp.bench.Verification.Stored;
import chatapp.bench.Verification.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The after-run check finds every way an acked message can go wrong, and nothing when none did. */
class VerificationTest {

    private final Pair pair = new Pair(0, new Account("u-parent", "p@x", "pw"), new Account("u-therapist", "t@x", "pw"), "c-1");
    private final List<Send> sends = new ArrayList<>();
    private final List<Stored> history = new ArrayList<>();

    /** An acked send from the parent, delivered live, stored as {@code messageId}. */
    private Send acked(int n, String messageId) {
        Send s = new Send(n, "run-" + n, pair, true, 0, "text " + n, null);
        s.ackedAt = 1;
        s.messageId = messageId;
        s.deliveredAt = 2;
        sends.add(s);
        return s;
    }

    private void stored(String messageId, String clientMessageId, String text) {
        history.add(new Stored(messageId, clientMessageId, "u-parent", "u-therapist", text));
    }

    private Verdict check() {
        return Verification.check(sends, Map.of("c-1", history), "run");
    }

    @Test
    void everyAckedMessageStoredOnceAndDeliveredIsClean() {
        acked(1, "m1");
        acked(2, "m2");
        stored("m1", "run-1", "text 1");
        stored("m2", "run-2", "text 2");
        stored("m3", "other-run-7", "from an earlier run"); // ignored

        Verdict v = check();

        assertThat(v.clean()).isTrue();
        assertThat(v.acked()).isEqualTo(2);
        assertThat(v.storedOnce()).isEqualTo(2);
        assertThat(v.deliveredLive()).isEqualTo(2);
        assertThat(v.examples()).isEmpty();
    }

    @Test
    void anAckedMessageMissingFromTheHistoryIsLost() {
        acked(1, "m1");
        acked(2, "m2");
        stored("m1", "run-1", "text 1");

        Verdict v = check();

        assertThat(v.lost()).isEqualTo(1);
        assertThat(v.clean()).isFalse();
        assertThat(v.examples()).anyMatch(e -> e.startsWith("lost: run-2"));
    }

    @Test
    void aSecondCopyOfAClientMessageIdIsADuplicate() {
        acked(1, "m1");
        stored("m1", "run-1", "text 1");
        stored("m2", "run-1", "text 1");
        stored("m2", "run-1", "text 1"); // the same message listed twice by paging counts too

        Verdict v = check();

        assertThat(v.duplicated()).isEqualTo(2);
        assertThat(v.outOfOrder()).isEqualTo(1);
        assertThat(v.clean()).isFalse();
    }

    @Test
    void aDuplicateOfAnUnackedSendCountsAsWell() {
        Send s = new Send(1, "run-1", pair, true, 0, "text 1", null);
        sends.add(s);
        stored("m1", "run-1", "text 1");
        stored("m2", "run-1", "text 1");

        Verdict v = check();

        assertThat(v.duplicated()).isEqualTo(1);
        assertThat(v.storedUnacked()).isEqualTo(1);
        assertThat(v.neverAcked()).isEqualTo(1);
    }

    @Test
    void storedUnderAnotherIdOrWithOtherTextIsMismatched() {
        acked(1, "m1");
        acked(2, "m2");
        stored("m1", "run-1", "text 1 but altered");
        stored("m9", "run-2", "text 2");

        assertThat(check().mismatched()).isEqualTo(2);
    }

    @Test
    void anAckedMessageTheRecipientNeverGotIsUndeliveredUnlessACatchUpBroughtIt() {
        Send live = acked(1, "m1");
        Send missed = acked(2, "m2");
        Send caughtUp = acked(3, "m3");
        missed.deliveredAt = 0;
        caughtUp.deliveredAt = 0;
        caughtUp.caughtUp = true;
        stored("m1", "run-1", "text 1");
        stored("m2", "run-2", "text 2");
        stored("m3", "run-3", "text 3");

        Verdict v = check();

        assertThat(live.delivered()).isTrue();
        assertThat(v.undelivered()).isEqualTo(1);
        assertThat(v.deliveredLive()).isEqualTo(1);
        assertThat(v.deliveredByCatchUp()).isEqualTo(1);
        assertThat(v.clean()).isFalse();
    }

    @Test
    void refusedAndUnackedSendsNeedNotBeStored() {
        Send refused = new Send(1, "run-1", pair, true, 0, "text 1", null);
        refused.error = "validation_failed";
        sends.add(refused);
        sends.add(new Send(2, "run-2", pair, false, 0, "text 2", null));

        Verdict v = check();

        assertThat(v.clean()).isTrue();
        assertThat(v.refused()).isEqualTo(1);
        assertThat(v.neverAcked()).isEqualTo(1);
    }

    @Test
    void aStoredMessageOfThisRunThatWasNeverSentIsUnexpected() {
        stored("m1", "run-77", "text 77");

        Verdict v = check();

        assertThat(v.unexpected()).isEqualTo(1);
        assertThat(v.clean()).isFalse();
    }
}
