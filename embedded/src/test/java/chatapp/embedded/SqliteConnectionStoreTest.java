package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.realtime.ConnectionStore;
import chatapp.realtime.ConnectionStoreContract;
import chatapp.realtime.WebSocketConnection;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteConnectionStoreTest extends ConnectionStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected ConnectionStore store() {
        return new SqliteConnectionStore(sqlite.database(), Clock.systemUTC());
    }

    @Test
    void expiredRecordsAreDeletedByTheNextWrite() {
        Instant now = Instant.now();
        store().put(new WebSocketConnection("user-gone", "conn-gone", "builtin:crashed", now.minusSeconds(900),
                now.minusSeconds(1)));
        store().put(new WebSocketConnection("user-here", "conn-here", "builtin:alive", now, now.plusSeconds(900)));

        Integer gone = sqlite.database().read(h -> h.createQuery(
                "select count(*) from websocket_connections where connection_id = 'conn-gone'").mapTo(Integer.class).one());
        assertThat(gone).isZero();
        assertThat(store().find("conn-here")).isPresent();
    }
}
