package chatapp.realtime;

import chatapp.core.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link TicketStore} and {@link Tickets}, run on every adapter: a ticket works
 * once, for 60 s, for the user it was issued to, and only its hash is stored. Subclasses give
 * the store and a way to read back everything it holds.
 */
public abstract class TicketStoreContract {

    /** The store under test, fresh or shared across the class. */
    protected abstract TicketStore store();

    /** Every stored value of every ticket item, as text, to prove that no raw ticket is kept. */
    protected abstract String everythingStored();

    private final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    @Test
    void anIssuedTicketRedeemsOnceForItsUser() {
        Tickets tickets = new Tickets(store(), clock);
        Tickets.Issued issued = tickets.issue("user-a");

        assertThat(issued.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(tickets.redeem(issued.ticket())).contains("user-a");
        assertThat(tickets.redeem(issued.ticket())).as("second use").isEmpty();
    }

    @Test
    void aTicketKeepsItsSessionAndIsRefusedOnceTheSessionEnded() {
        java.util.Set<String> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Tickets tickets = new Tickets(store(), clock, (userId, sessionId) -> !ended.contains(sessionId));
        Tickets.Issued live = tickets.issue("user-s", "session-live");
        Tickets.Issued gone = tickets.issue("user-s", "session-gone");

        assertThat(tickets.spend(live.ticket())).get().extracting(Ticket::userId, Ticket::sessionId)
                .containsExactly("user-s", "session-live");
        ended.add("session-gone");
        assertThat(tickets.spend(gone.ticket())).as("its session ended").isEmpty();
        assertThat(new Tickets(store(), clock).redeem(new Tickets(store(), clock, (u, s) -> true)
                .issue("user-s", "session-x").ticket())).as("sessions unknown: only session-less tickets").isEmpty();
    }

    @Test
    void anExpiredTicketIsRefusedAndAnAlmostExpiredOneStillWorks() {
        Tickets tickets = new Tickets(store(), clock);
        Tickets.Issued late = tickets.issue("user-b");
        Tickets.Issued inTime = tickets.issue("user-b");

        clock.advance(Duration.ofMillis(59_999));
        assertThat(tickets.redeem(inTime.ticket())).contains("user-b");
        clock.advance(Duration.ofMillis(1));
        assertThat(tickets.redeem(late.ticket())).as("at 60 s").isEmpty();
    }

    @Test
    void unknownMissingAndForgedTicketsAreRefused() {
        Tickets tickets = new Tickets(store(), clock);
        Tickets.Issued issued = tickets.issue("user-c");

        assertThat(tickets.redeem(null)).isEmpty();
        assertThat(tickets.redeem("")).isEmpty();
        assertThat(tickets.redeem("not-a-ticket")).isEmpty();
        assertThat(tickets.redeem(issued.ticket() + "x")).isEmpty();
        assertThat(tickets.redeem(Tickets.hash(issued.ticket()))).as("the stored hash is not a ticket").isEmpty();
        assertThat(tickets.redeem(issued.ticket())).as("still unspent").contains("user-c");
    }

    @Test
    void onlyTheHashIsStored() {
        Tickets tickets = new Tickets(store(), clock);
        Tickets.Issued issued = tickets.issue("user-d");

        String stored = everythingStored();
        assertThat(stored).contains(Tickets.hash(issued.ticket())).doesNotContain(issued.ticket());
    }

    @Test
    void takeReturnsWhatWasPutToMillisecondsAndThenNothing() {
        Ticket t = new Ticket("hash-" + System.nanoTime(), "user-e", clock.instant().plusMillis(60_007));
        store().put(t);

        assertThat(store().take(t.ticketHash())).contains(t);
        assertThat(store().take(t.ticketHash())).isEmpty();
        assertThat(store().take("hash-never-put")).isEmpty();
    }

    @Test
    void ofConcurrentRedemptionsOfOneTicketExactlyOneWins() throws Exception {
        Tickets tickets = new Tickets(store(), clock);
        int rounds = 10;
        int racers = 6;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < rounds; round++) {
                Tickets.Issued issued = tickets.issue("user-f");
                List<Future<Optional<String>>> results = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    Callable<Optional<String>> redeem = () -> tickets.redeem(issued.ticket());
                    results.add(pool.submit(redeem));
                }
                int winners = 0;
                for (Future<Optional<String>> r : results) {
                    if (r.get().isPresent()) {
                        winners++;
                    }
                }
                assertThat(winners).as("winners in round %d", round).isEqualTo(1);
            }
        }
    }
}
