package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.audit.AuditEntry;
import chatapp.audit.AuditStore;
import chatapp.audit.AuditStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteAuditStoreTest extends AuditStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected AuditStore store() {
        return new SqliteAuditStore(sqlite.database());
    }

    @Override
    protected void overwrite(AuditEntry forged) {
        // the trigger refuses updates: an attacker deletes and inserts
        remove(forged.chain(), forged.seq());
        store().append(forged);
    }

    @Override
    protected void remove(String chain, long seq) {
        sqlite.database().write(h -> h.execute("delete from audit_log where chain = ? and seq = ?", chain, seq));
    }

    @Override
    protected void expire(Instant now) {
        store().purgeExpired(now, 1000);
    }

    @Test
    void anEntryCannotBeUpdatedInPlace() {
        assertThatThrownBy(() -> sqlite.database().write(h -> h.execute("update audit_log set outcome = 'x'")))
                .hasMessageContaining("append-only");
    }
}
