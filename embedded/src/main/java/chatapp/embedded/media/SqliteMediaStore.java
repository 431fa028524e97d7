package chatapp.embedded.media;

import chatapp.embedded.SqliteDatabase;
import chatapp.media.Media;
import chatapp.media.MediaFormat;
import chatapp.media.MediaStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@link MediaStore} on SQLite: tables {@code media} and {@code media_viewers} (V5__media.sql);
 * {@code media.attached} and the partial index {@code media_unattached} (V9__media_unattached.sql).
 */
public final class SqliteMediaStore implements MediaStore {

    private final SqliteDatabase db;

    public SqliteMediaStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Media m) {
        try {
            db.write(h -> h.createUpdate("""
                    insert into media (media_id, owner_id, content_type, size, width, height, duration_ms,
                                       original_key, thumbnail_key, created_at)
                    values (:id, :owner, :type, :size, :width, :height, :duration, :original, :thumbnail, :created)""")
                    .bind("id", m.mediaId())
                    .bind("owner", m.ownerId())
                    .bind("type", m.format().contentType())
                    .bind("size", m.size())
                    .bind("width", m.width())
                    .bind("height", m.height())
                    .bind("duration", m.durationMs())
                    .bind("original", m.originalKey())
                    .bind("thumbnail", m.thumbnailKey())
                    .bind("created", m.createdAt().toEpochMilli())
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            throw new IllegalStateException("media " + m.mediaId() + " exists", e);
        }
    }

    @Override
    public Optional<Media> find(String mediaId) {
        return db.read(h -> h.createQuery("select * from media where media_id = :id")
                .bind("id", mediaId)
                .map((rs, ctx) -> media(rs))
                .findOne());
    }

    private static Media media(ResultSet rs) throws SQLException {
        return new Media(rs.getString("media_id"), rs.getString("owner_id"),
                MediaFormat.ofContentType(rs.getString("content_type")).orElseThrow(),
                rs.getLong("size"), nullableInt(rs, "width"), nullableInt(rs, "height"),
                nullableLong(rs, "duration_ms"),
                rs.getString("original_key"), rs.getString("thumbnail_key"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    @Override
    public void addViewer(String mediaId, String viewerId) {
        db.write(h -> {
            h.createUpdate("update media set attached = 1 where media_id = :id and attached = 0")
                    .bind("id", mediaId)
                    .execute();
            return h.createUpdate("""
                    insert or ignore into media_viewers (media_id, user_id)
                    select media_id, :user from media where media_id = :id""")
                    .bind("id", mediaId)
                    .bind("user", viewerId)
                    .execute();
        });
    }

    /** One write on the single writer: the flag flips from 0 only once, then the viewer row. */
    @Override
    public boolean attachOnce(String mediaId, String viewerId) {
        return db.write(h -> {
            if (h.createUpdate("update media set attached = 1 where media_id = :id and attached = 0")
                    .bind("id", mediaId)
                    .execute() == 0) {
                return false;
            }
            h.createUpdate("insert or ignore into media_viewers (media_id, user_id) values (:id, :user)")
                    .bind("id", mediaId)
                    .bind("user", viewerId)
                    .execute();
            return true;
        });
    }

    @Override
    public boolean detach(String mediaId, String viewerId) {
        return db.write(h -> {
            int others = h.createQuery("select count(*) from media_viewers where media_id = :id and user_id <> :user")
                    .bind("id", mediaId).bind("user", viewerId).mapTo(Integer.class).one();
            if (others > 0) {
                return false;
            }
            if (h.createUpdate("delete from media_viewers where media_id = :id and user_id = :user")
                    .bind("id", mediaId).bind("user", viewerId).execute() == 0) {
                return false;
            }
            return h.createUpdate("update media set attached = 0 where media_id = :id")
                    .bind("id", mediaId).execute() > 0;
        });
    }

    @Override
    public List<Media> unattachedBefore(Instant cutoff, int limit) {
        return db.read(h -> h.createQuery("""
                select * from media indexed by media_unattached
                where attached = 0 and created_at < :cutoff order by created_at limit :limit""")
                .bind("cutoff", cutoff.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> media(rs))
                .list());
    }

    @Override
    public boolean deleteUnattached(String mediaId) {
        return db.write(h -> h.createUpdate("delete from media where media_id = :id and attached = 0")
                .bind("id", mediaId)
                .execute()) > 0;
    }

    @Override
    public boolean delete(String mediaId) {
        return db.write(h -> {
            h.createUpdate("delete from media_viewers where media_id = :id").bind("id", mediaId).execute();
            return h.createUpdate("delete from media where media_id = :id").bind("id", mediaId).execute();
        }) > 0;
    }

    @Override
    public boolean isViewer(String mediaId, String viewerId) {
        return db.read(h -> h.createQuery("select 1 from media_viewers where media_id = :id and user_id = :user")
                .bind("id", mediaId)
                .bind("user", viewerId)
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
    }
}
