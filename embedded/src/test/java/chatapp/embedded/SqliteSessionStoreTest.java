package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.RefreshSession;
import chatapp.account.SessionStore;
import chatapp.account.SessionStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteSessionStoreTest extends SessionStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected SessionStore store() {
        return new SqliteSessionStore(sqlite.database());
    }

    @Test
    void expiredChainsAndTokensArePurgedAsNewSessionsStart() {
        SqliteDatabase db = sqlite.database();
        Instant past = Instant.now().minusSeconds(60);
        for (int i = 0; i < 30; i++) {
            store().create(new RefreshSession("old-" + i, "u-old", "old-hash-" + i, past));
        }
        store().create(new RefreshSession("fresh", "u-new", "fresh-hash", Instant.now().plusSeconds(3600)));
        int expired = db.read(h -> h.createQuery("select count(*) from refresh_tokens where expires_at <= ?")
                .bind(0, System.currentTimeMillis()).mapTo(Integer.class).one());
        int expiredChains = db.read(h -> h.createQuery("select count(*) from refresh_sessions where expires_at <= ?")
                .bind(0, System.currentTimeMillis()).mapTo(Integer.class).one());
        assertThat(expired).isZero();
        assertThat(expiredChains).isZero();
        int fresh = db.read(h -> h.createQuery("select count(*) from refresh_tokens where token_hash = 'fresh-hash'")
                .mapTo(Integer.class).one());
        assertThat(fresh).isEqualTo(1);
    }
}
