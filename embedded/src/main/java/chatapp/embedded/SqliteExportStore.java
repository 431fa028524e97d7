package chatapp.embedded;

import chatapp.userdata.ExportJob;
import chatapp.userdata.ExportStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ExportStore} on SQLite: table {@code exports} (V13__user_data.sql). */
public final class SqliteExportStore implements ExportStore {

    private final SqliteDatabase db;

    public SqliteExportStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(ExportJob j) {
        db.write(h -> h.createUpdate("insert into exports (export_id, user_id, state, created_at, archive_key, size,"
                        + " expires_at) values (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, j.exportId()).bind(1, j.userId()).bind(2, j.state().wire())
                .bind(3, j.createdAt().toEpochMilli()).bind(4, j.archiveKey()).bind(5, j.size())
                .bind(6, j.expiresAt().toEpochMilli()).execute());
    }

    @Override
    public Optional<ExportJob> find(String userId, String exportId) {
        return db.read(h -> h.createQuery("select * from exports where export_id = ? and user_id = ?")
                .bind(0, exportId).bind(1, userId).map((rs, ctx) -> job(rs)).findOne());
    }

    @Override
    public void save(ExportJob j) {
        db.write(h -> h.createUpdate("update exports set state = ?, archive_key = ?, size = ?, expires_at = ?"
                        + " where export_id = ? and user_id = ?")
                .bind(0, j.state().wire()).bind(1, j.archiveKey()).bind(2, j.size())
                .bind(3, j.expiresAt().toEpochMilli()).bind(4, j.exportId()).bind(5, j.userId()).execute());
    }

    @Override
    public List<ExportJob> byUser(String userId) {
        return db.read(h -> h.createQuery("select * from exports where user_id = ? order by created_at desc,"
                        + " export_id desc")
                .bind(0, userId).map((rs, ctx) -> job(rs)).list());
    }

    @Override
    public List<ExportJob> expiredBefore(Instant at, int limit) {
        return db.read(h -> h.createQuery("select * from exports indexed by exports_by_expiry where expires_at < ?"
                        + " order by expires_at limit ?")
                .bind(0, at.toEpochMilli()).bind(1, limit).map((rs, ctx) -> job(rs)).list());
    }

    @Override
    public void delete(ExportJob j) {
        db.write(h -> h.createUpdate("delete from exports where export_id = ?").bind(0, j.exportId()).execute());
    }

    private static ExportJob job(ResultSet rs) throws SQLException {
        return new ExportJob(rs.getString("export_id"), rs.getString("user_id"),
                ExportJob.State.fromWire(rs.getString("state")), Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getString("archive_key"), rs.getLong("size"), Instant.ofEpochMilli(rs.getLong("expires_at")));
    }
}
