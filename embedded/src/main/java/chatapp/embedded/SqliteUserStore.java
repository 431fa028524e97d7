package chatapp.embedded;

import chatapp.account.Profile;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link UserStore} on SQLite: table {@code users}, uniqueness by its unique indexes. */
public final class SqliteUserStore implements UserStore {

    static final String COLUMNS = "user_id, username, email, password_hash, user_type, specialization, "
            + "children_count, created_at";

    private final SqliteDatabase db;

    public SqliteUserStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<User> findById(String userId) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from users where user_id = ?")
                .bind(0, userId).map(SqliteUserStore::user).findOne());
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from users where email = ?")
                .bind(0, email).map(SqliteUserStore::user).findOne());
    }

    @Override
    public void create(User u) {
        try {
            db.write(h -> {
                h.createUpdate("insert into users (user_id, username, username_key, email, password_hash, "
                                + "user_type, specialization, children_count, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .bind(0, u.userId()).bind(1, u.username()).bind(2, u.usernameKey()).bind(3, u.email())
                        .bind(4, u.passwordHash()).bind(5, u.userType().wire()).bind(6, u.specialization())
                        .bind(7, u.childrenCount()).bind(8, u.createdAt().toEpochMilli())
                        .execute();
                insertTerms(h, u);
                return null;
            });
        } catch (UnableToExecuteStatementException e) {
            throw uniqueViolation(e);
        }
    }

    @Override
    public boolean delete(User u) {
        return db.write(h -> {
            h.execute("delete from directory_terms where user_id = ?", u.userId());
            return h.createUpdate("delete from users where user_id = ?").bind(0, u.userId()).execute();
        }) > 0;
    }

    @Override
    public void update(User current, User u) {
        int changed;
        try {
            changed = db.write(h -> {
                int n = h.createUpdate("update users set username = ?, username_key = ?, specialization = ?, children_count = ?, "
                                + "password_hash = ? where user_id = ? and username_key = ? and password_hash = ?")
                        .bind(0, u.username()).bind(1, u.usernameKey()).bind(2, u.specialization()).bind(3, u.childrenCount())
                        .bind(4, u.passwordHash()).bind(5, u.userId()).bind(6, current.usernameKey())
                        .bind(7, current.passwordHash())
                        .execute();
                if (n == 1) {
                    h.execute("delete from directory_terms where user_id = ?", u.userId());
                    insertTerms(h, u);
                }
                return n;
            });
        } catch (UnableToExecuteStatementException e) {
            throw uniqueViolation(e);
        }
        if (changed == 0) {
            throw new ChatAppException(ErrorCode.CONFLICT, "the account changed meanwhile; try again");
        }
    }

    @Override
    public boolean emailVerified(String userId) {
        return db.read(h -> h.createQuery("select email_verified from users where user_id = ?")
                .bind(0, userId).mapTo(Integer.class).findOne()).map(v -> v == 1).orElse(false);
    }

    @Override
    public void markEmailVerified(String userId) {
        db.write(h -> h.createUpdate("update users set email_verified = 1 where user_id = ? and email_verified = 0")
                .bind(0, userId).execute());
    }

    @Override
    public List<User> byUsername(UserType type, String prefix, String afterUsernameKey, int limit) {
        // The range starts at the prefix, or just after the position when that lies inside it.
        boolean fromPosition = afterUsernameKey != null && afterUsernameKey.compareTo(prefix) >= 0;
        String lower = fromPosition ? "username_key > ?" : "username_key >= ?";
        return db.read(h -> h.createQuery("select " + COLUMNS + " from users where user_type = ? and " + lower
                        + " and username_key < ? order by username_key limit ?")
                .bind(0, type.wire()).bind(1, fromPosition ? afterUsernameKey : prefix)
                .bind(2, prefix + Character.MAX_VALUE).bind(3, limit)
                .map(SqliteUserStore::user).list());
    }

    @Override
    public List<User> bySpecializationTerm(UserType type, String term, String afterUsernameKey, int limit) {
        return db.read(h -> h.createQuery("select " + prefixed("u.") + " from directory_terms t join users u on u.user_id = t.user_id "
                        + "where t.user_type = ? and t.term = ? and t.username_key > ? order by t.username_key limit ?")
                .bind(0, type.wire()).bind(1, term).bind(2, afterUsernameKey == null ? "" : afterUsernameKey).bind(3, limit)
                .map(SqliteUserStore::user).list());
    }

    @Override
    public Map<String, Profile> profiles(Collection<String> userIds) {
        List<String> ids = userIds.stream().distinct().toList();
        Map<String, Profile> found = new HashMap<>();
        // SQLite binds at most 32766 parameters; a page is at most 100.
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + 500));
            db.read(h -> h.createQuery("select user_id, display_name, avatar_media_id, bio, credentials, practice "
                            + "from users where user_id in (<ids>)")
                    .bindList("ids", batch)
                    .map((rs, ctx) -> Map.entry(rs.getString("user_id"), new Profile(rs.getString("display_name"),
                            rs.getString("avatar_media_id"), rs.getString("bio"), rs.getString("credentials"),
                            rs.getString("practice"))))
                    .list()).forEach(e -> {
                        if (!e.getValue().isEmpty()) {
                            found.put(e.getKey(), e.getValue());
                        }
                    });
        }
        return found;
    }

    @Override
    public boolean replaceProfile(String userId, Profile expected, Profile updated) {
        int changed = db.write(h -> h.createUpdate("update users set display_name = ?, avatar_media_id = ?, bio = ?, "
                        + "credentials = ?, practice = ? where user_id = ? and display_name is ? and avatar_media_id is ? "
                        + "and bio is ? and credentials is ? and practice is ?")
                .bind(0, updated.displayName()).bind(1, updated.avatarMediaId()).bind(2, updated.bio())
                .bind(3, updated.credentials()).bind(4, updated.practice()).bind(5, userId)
                .bind(6, expected.displayName()).bind(7, expected.avatarMediaId()).bind(8, expected.bio())
                .bind(9, expected.credentials()).bind(10, expected.practice())
                .execute());
        if (changed == 1) {
            return true;
        }
        if (findById(userId).isEmpty()) {
            throw ChatAppException.notFound("no such user");
        }
        return false;
    }

    private static String prefixed(String alias) {
        return alias + COLUMNS.replace(", ", ", " + alias);
    }

    private static void insertTerms(Handle h, User u) {
        for (String term : u.specializationTerms()) {
            h.createUpdate("insert into directory_terms (user_type, term, username_key, user_id) values (?, ?, ?, ?)")
                    .bind(0, u.userType().wire()).bind(1, term).bind(2, u.usernameKey()).bind(3, u.userId())
                    .execute();
        }
    }

    /** The contract's 409 for a unique index that refused a write; anything else is rethrown. */
    static RuntimeException uniqueViolation(UnableToExecuteStatementException e) {
        String message = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        if (message.contains("UNIQUE constraint failed: users.email")) {
            return new ChatAppException(ErrorCode.EMAIL_TAKEN, "an account with this email exists");
        }
        if (message.contains("UNIQUE constraint failed: users.username_key")) {
            return new ChatAppException(ErrorCode.USERNAME_TAKEN, "this username is taken");
        }
        return e;
    }

    static User user(ResultSet rs, StatementContext ctx) throws SQLException {
        int children = rs.getInt("children_count");
        Integer childrenCount = rs.wasNull() ? null : children;
        return new User(rs.getString("user_id"), rs.getString("username"), rs.getString("email"),
                rs.getString("password_hash"), UserType.fromWire(rs.getString("user_type")),
                rs.getString("specialization"), childrenCount, Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
