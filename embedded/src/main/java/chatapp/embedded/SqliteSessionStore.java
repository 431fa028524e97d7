package chatapp.embedded;

import chatapp.account.RefreshSession;
import chatapp.account.Session;
import chatapp.account.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link SessionStore} on SQLite: tables {@code refresh_sessions} (one row per chain: the hash of
 * its current token; since V6 also the previous token's hash, until when it may be repeated, and
 * the current token sealed for its holder; since V11 the device, address, start and last use the
 * session list shows) and {@code refresh_tokens} (every token issued,
 * hashed, current or spent, so that reuse is recognised). Each decision runs inside one write of
 * the single writer, so two presentations of one token are serialised. Expired rows are purged
 * here, a bounded batch on each new session, so the tables stop growing.
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
            h.createUpdate("insert into refresh_sessions (session_id, user_id, current_hash, expires_at, device, address,"
                            + " created_at, last_used_at) values (?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, s.sessionId()).bind(1, s.userId()).bind(2, s.tokenHash()).bind(3, s.expiresAt().toEpochMilli())
                    .bind(4, s.device()).bind(5, s.address()).bind(6, s.createdAt().toEpochMilli())
                    .bind(7, s.createdAt().toEpochMilli())
                    .execute();
            insertToken(h, s);
            purgeExpired(h, System.currentTimeMillis());
            return null;
        });
    }

    @Override
    public Rotation rotate(String presentedHash, Successor next, Instant now) {
        long nowMs = now.toEpochMilli();
        return db.write(h -> {
            Optional<String> sessionId = h.createQuery(
                            "select session_id from refresh_tokens where token_hash = ? and expires_at > ?")
                    .bind(0, presentedHash).bind(1, nowMs).mapTo(String.class).findOne();
            if (sessionId.isEmpty()) {
                return Rotation.rejected();
            }
            Optional<Map<String, Object>> chain = h.createQuery("select user_id, current_hash, previous_hash,"
                            + " sealed_successor, repeat_until from refresh_sessions"
                            + " where session_id = ? and revoked = 0 and expires_at > ?")
                    .bind(0, sessionId.get()).bind(1, nowMs).mapToMap().findOne();
            if (chain.isEmpty()) {
                return Rotation.rejected();
            }
            Map<String, Object> c = chain.get();
            String userId = (String) c.get("user_id");
            if (presentedHash.equals(c.get("current_hash"))) {
                h.createUpdate("update refresh_sessions set current_hash = ?, expires_at = ?, previous_hash = ?,"
                                + " sealed_successor = ?, repeat_until = ? where session_id = ?")
                        .bind(0, next.tokenHash()).bind(1, next.expiresAt().toEpochMilli()).bind(2, presentedHash)
                        .bind(3, next.sealedToken()).bind(4, next.repeatableUntil().toEpochMilli()).bind(5, sessionId.get())
                        .execute();
                insertToken(h, new RefreshSession(sessionId.get(), userId, next.tokenHash(), next.expiresAt()));
                return new Rotation(Rotation.Outcome.ROTATED, userId, sessionId.get());
            }
            // Serialised by the single writer: no rotation can slip in between this read and the answer.
            Number repeatUntil = (Number) c.get("repeat_until");
            if (presentedHash.equals(c.get("previous_hash")) && repeatUntil != null && nowMs < repeatUntil.longValue()) {
                return new Rotation(Rotation.Outcome.REPEATED, userId, sessionId.get(), (String) c.get("sealed_successor"));
            }
            h.execute("update refresh_sessions set revoked = 1 where session_id = ?", sessionId.get());
            return new Rotation(Rotation.Outcome.REUSED, userId, sessionId.get());
        });
    }

    @Override
    public Optional<String> revoke(String tokenHash, String userId, Instant now) {
        long nowMs = now.toEpochMilli();
        return db.write(h -> h.createQuery("update refresh_sessions set revoked = 1 where revoked = 0 and expires_at > ? "
                        + "and user_id = ? "
                        + "and session_id = (select session_id from refresh_tokens where token_hash = ? and expires_at > ?)"
                        + " returning session_id")
                .bind(0, nowMs).bind(1, userId).bind(2, tokenHash).bind(3, nowMs).mapTo(String.class).findOne());
    }

    @Override
    public List<String> revokeOthers(String userId, String keepSessionId) {
        return db.write(h -> h.createQuery("update refresh_sessions set revoked = 1 where user_id = ? and session_id <> ?"
                        + " and revoked = 0 returning session_id")
                .bind(0, userId).bind(1, keepSessionId == null ? "" : keepSessionId).mapTo(String.class).list());
    }

    @Override
    public boolean revokeSession(String userId, String sessionId) {
        return db.write(h -> h.createUpdate("update refresh_sessions set revoked = 1 where user_id = ? and session_id = ?"
                        + " and revoked = 0")
                .bind(0, userId).bind(1, sessionId).execute() > 0);
    }

    @Override
    public boolean live(String userId, String sessionId, Instant now) {
        return db.read(h -> h.createQuery("select count(*) from refresh_sessions where session_id = ? and user_id = ?"
                        + " and revoked = 0 and expires_at > ?")
                .bind(0, sessionId).bind(1, userId).bind(2, now.toEpochMilli()).mapTo(Integer.class).one() > 0);
    }

    @Override
    public List<Session> sessions(String userId, Instant now) {
        return db.read(h -> h.createQuery("select session_id, device, address, created_at, last_used_at"
                        + " from refresh_sessions where user_id = ? and revoked = 0 and expires_at > ?"
                        + " order by created_at, session_id")
                .bind(0, userId).bind(1, now.toEpochMilli())
                .map((rs, ctx) -> {
                    Instant created = Instant.ofEpochMilli(rs.getLong("created_at"));
                    long used = rs.getLong("last_used_at");
                    return new Session(rs.getString("session_id"), rs.getString("device"), rs.getString("address"),
                            created, rs.wasNull() ? created : Instant.ofEpochMilli(used));
                })
                .list());
    }

    @Override
    public void touch(String userId, String sessionId, Instant at) {
        db.write(h -> h.createUpdate("update refresh_sessions set last_used_at = ? where user_id = ? and session_id = ?"
                        + " and (last_used_at is null or last_used_at < ?)")
                .bind(0, at.toEpochMilli()).bind(1, userId).bind(2, sessionId).bind(3, at.toEpochMilli()).execute());
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
