package chatapp.embedded;

import chatapp.audit.AuditAction;
import chatapp.audit.AuditEntry;
import chatapp.audit.AuditStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AuditStore} on SQLite: table {@code audit_log} (migration V12), keyed by (chain, seq).
 * An append is one {@code insert ... on conflict do nothing} on the single writer, so a seq is
 * taken once; a trigger refuses every update. Expired entries go by {@link #purgeExpired},
 * which the server's purge job runs.
 */
public final class SqliteAuditStore implements AuditStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> DETAIL = new TypeReference<>() { };
    private static final String COLUMNS = "chain, seq, at, actor, action, target, detail, session_id, address, "
            + "outcome, previous_hash, previous_expires_at, expires_at, hash";

    private final SqliteDatabase db;

    public SqliteAuditStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<AuditEntry> head(String chain) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from audit_log where chain = ? order by seq desc limit 1")
                .bind(0, chain).map((rs, ctx) -> entry(rs)).findOne());
    }

    @Override
    public boolean append(AuditEntry e) {
        return db.write(h -> h.createUpdate("insert into audit_log (" + COLUMNS + ", position, day) values "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (chain, seq) do nothing")
                .bind(0, e.chain()).bind(1, e.seq()).bind(2, e.at().toEpochMilli()).bind(3, e.actor())
                .bind(4, e.action().name()).bind(5, e.target()).bind(6, JSON.writeValueAsString(e.detail()))
                .bind(7, e.session()).bind(8, e.address()).bind(9, e.outcome()).bind(10, e.previousHash())
                .bind(11, e.previousExpiresAt() == null ? null : e.previousExpiresAt().toEpochMilli())
                .bind(12, e.expiresAt().toEpochMilli()).bind(13, e.hash()).bind(14, e.position())
                .bind(15, e.day().toString())
                .execute()) == 1;
    }

    @Override
    public List<AuditEntry> chain(String chain, long afterSeq, int limit) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from audit_log where chain = ? and seq > ? "
                        + "order by seq limit ?")
                .bind(0, chain).bind(1, afterSeq).bind(2, limit).map((rs, ctx) -> entry(rs)).list());
    }

    @Override
    public List<AuditEntry> chainNewestFirst(String chain, long beforeSeq, int limit) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from audit_log where chain = ? and seq < ? "
                        + "order by seq desc limit ?")
                .bind(0, chain).bind(1, beforeSeq).bind(2, limit).map((rs, ctx) -> entry(rs)).list());
    }

    @Override
    public List<AuditEntry> byTarget(String target, String beforePosition, int limit) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from audit_log where target = ? and position < ? "
                        + "order by position desc limit ?")
                .bind(0, target).bind(1, beforePosition == null ? "~" : beforePosition).bind(2, limit)
                .map((rs, ctx) -> entry(rs)).list());
    }

    @Override
    public List<AuditEntry> day(LocalDate day, String afterPosition, int limit) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from audit_log where day = ? and position > ? "
                        + "order by position limit ?")
                .bind(0, day.toString()).bind(1, afterPosition == null ? "" : afterPosition).bind(2, limit)
                .map((rs, ctx) -> entry(rs)).list());
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        return db.write(h -> h.createUpdate("delete from audit_log where (chain, seq) in (select chain, seq "
                        + "from audit_log where expires_at <= ? order by expires_at limit ?)")
                .bind(0, now.toEpochMilli()).bind(1, limit).execute());
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        long previousExpiresAt = rs.getLong("previous_expires_at");
        Instant previous = rs.wasNull() ? null : Instant.ofEpochMilli(previousExpiresAt);
        return new AuditEntry(rs.getString("chain"), rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("at")),
                rs.getString("actor"), AuditAction.valueOf(rs.getString("action")), rs.getString("target"),
                JSON.readValue(rs.getString("detail"), DETAIL), rs.getString("session_id"), rs.getString("address"),
                rs.getString("outcome"), rs.getString("previous_hash"), previous,
                Instant.ofEpochMilli(rs.getLong("expires_at")), rs.getString("hash"));
    }
}
