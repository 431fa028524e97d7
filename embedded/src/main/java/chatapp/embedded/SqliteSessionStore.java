package chatapp.embedded;

import chatapp.account.RefreshSession;
import chatapp.account.SessionStore;

/**
 * {@link SessionStore} on SQLite: tables {@code refresh_sessions} (one row per chain) and
 * {@code refresh_tokens} (every token issued, hashed). Expired rows are purged here, a few at a
 * time on each new session, so the tables do not grow without bound.
 */
public final class SqliteSessionStore implements SessionStore {

    private final SqliteDatabase db;

    public SqliteSessionStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(RefreshSession s) {
        db.write(h -> {
            h.createUpdate("insert into refresh_sessions (session_id, user_id, current_hash, expires_at) values (?, ?, ?, ?)")
                    .bind(0, s.sessionId()).bind(1, s.userId()).bind(2, s.tokenHash()).bind(3, s.expiresAt().toEpochMilli())
                    .execute();
            h.createUpdate("insert into refresh_tokens (token_hash, session_id, expires_at) values (?, ?, ?)")
                    .bind(0, s.tokenHash()).bind(1, s.sessionId()).bind(2, s.expiresAt().toEpochMilli())
                    .execute();
            return null;
        });
    }
}
