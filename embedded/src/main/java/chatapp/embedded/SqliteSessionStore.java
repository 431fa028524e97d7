package chatapp.embedded;

import chatapp.account.RefreshSession;
import chatapp.account.SessionStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link SessionStore} on SQLite: tables {@code refresh_sessions} (one row per chain, with the
 * hash of its current token) and {@code refresh_tokens} (every token issued, hashed, current
 * or spent, so that reuse is recognised). Each decision runs inside one write of the single
 * writer, so two presentations of one token are serialised. Expired rows are purged here, a
 * bounded batch on each new session, so the tables stop growing.
 */
public final class SqliteSessionStore implements SessionStore {

    /** Expired rows removed per new session: more than sessions are created, so it keeps up. */
    private static final int PURGE_BATCH = 50;

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
            insertToken(h, s);
            purgeExpired(h, System.currentTimeMillis());
            return null;
        });
    }

    @Override
    public Rotation rotate(String presentedHash, String nextHash, Instant nextExpiresAt, Instant now) {
        long nowMs = now.toEpochMilli();
        return db.write(h -> {
            Optional<String> sessionId = h.createQuery(
                            "select session_id from refresh_tokens where token_hash = ? and expires_at > ?")
                    .bind(0, presentedHash).bind(1, nowMs).mapTo(String.class).findOne();
            if (sessionId.isEmpty()) {
                return Rotation.rejected();
            }
            Optional<Map<String, Object>> chain = h.createQuery("select user_id, current_hash from refresh_sessions "
                            + "where session_id = ? and revoked = 0 and expires_at > ?")
                    .bind(0, sessionId.get()).bind(1, nowMs).mapToMap().findOne();
            if (chain.isEmpty()) {
                return Rotation.rejected();
            }
            String userId = (String) chain.get().get("user_id");
            if (!presentedHash.equals(chain.get().get("current_hash"))) {
                h.execute("update refresh_sessions set revoked = 1 where session_id = ?", sessionId.get());
                return new Rotation(Rotation.Outcome.REUSED, userId, sessionId.get());
            }
            h.createUpdate("update refresh_sessions set current_hash = ?, expires_at = ? where session_id = ?")
                    .bind(0, nextHash).bind(1, nextExpiresAt.toEpochMilli()).bind(2, sessionId.get())
                    .execute();
            insertToken(h, new RefreshSession(sessionId.get(), userId, nextHash, nextExpiresAt));
            return new Rotation(Rotation.Outcome.ROTATED, userId, sessionId.get());
        });
    }

    @Override
    public boolean revoke(String tokenHash, String userId, Instant now) {
        long nowMs = now.toEpochMilli();
        return db.write(h -> h.createUpdate("update refresh_sessions set revoked = 1 where revoked = 0 and expires_at > ? "
                        + "and user_id = ? "
                        + "and session_id = (select session_id from refresh_tokens where token_hash = ? and expires_at > ?)")
                .bind(0, nowMs).bind(1, userId).bind(2, tokenHash).bind(3, nowMs).execute() > 0);
    }

    @Override
    public void revokeOthers(String userId, String keepSessionId) {
        db.write(h -> h.createUpdate("update refresh_sessions set revoked = 1 where user_id = ? and session_id <> ?")
                .bind(0, userId).bind(1, keepSessionId == null ? "" : keepSessionId).execute());
    }

    /** Deletes up to a batch of expired chains and tokens; returns how many rows went. */
    static int purgeExpired(Handle h, long nowMs) {
        int n = h.createUpdate("delete from refresh_tokens where token_hash in "
                + "(select token_hash from refresh_tokens where expires_at <= ? limit " + PURGE_BATCH + ")").bind(0, nowMs).execute();
        return n + h.createUpdate("delete from refresh_sessions where session_id in "
                + "(select session_id from refresh_sessions where expires_at <= ? limit " + PURGE_BATCH + ")").bind(0, nowMs).execute();
    }

    private static void insertToken(Handle h, RefreshSession s) {
        h.createUpdate("insert into refresh_tokens (token_hash, session_id, expires_at) values (?, ?, ?)")
                .bind(0, s.tokenHash()).bind(1, s.sessionId()).bind(2, s.expiresAt().toEpochMilli())
                .execute();
    }
}
