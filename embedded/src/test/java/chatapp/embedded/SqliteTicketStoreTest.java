package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import chatapp.realtime.TicketStoreContract;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteTicketStoreTest extends TicketStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected TicketStore store() {
        return new SqliteTicketStore(sqlite.database(), Clock.systemUTC());
    }

    @Override
    protected String everythingStored() {
        List<String> rows = sqlite.database().read(h -> h.createQuery(
                "select ticket_hash || ' ' || user_id || ' ' || expires_at from websocket_tickets")
                .mapTo(String.class).list());
        return String.join("\n", rows);
    }

    @Test
    void expiredTicketsAreDeletedByTheNextWrite() {
        Instant now = Instant.now();
        store().put(new Ticket("expired-hash", "user-x", now.minusSeconds(1)));
        store().put(new Ticket("fresh-hash", "user-x", now.plusSeconds(60)));

        assertThat(everythingStored()).doesNotContain("expired-hash").contains("fresh-hash");
    }
}
