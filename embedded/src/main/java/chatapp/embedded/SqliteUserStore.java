package chatapp.embedded;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
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
            db.write(h -> h.createUpdate("insert into users (user_id, username, username_key, email, password_hash, "
                            + "user_type, specialization, children_count, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, u.userId()).bind(1, u.username()).bind(2, u.usernameKey()).bind(3, u.email())
                    .bind(4, u.passwordHash()).bind(5, u.userType().wire()).bind(6, u.specialization())
                    .bind(7, u.childrenCount()).bind(8, u.createdAt().toEpochMilli())
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            throw uniqueViolation(e);
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
