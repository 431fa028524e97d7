package chatapp.importing;

import java.util.function.Consumer;

/**
 * Where the Django prototype's tables are read from: its DynamoDB tables themselves
 * ({@code chatapp.aws.PrototypeTables}) or a DynamoDB export in DynamoDB JSON
 * ({@link PrototypeExport}). Items come as {@link PrototypeRow}s of plain Java values.
 */
public interface PrototypeSource {

    /** Passes every item of the prototype's {@code users} table, in the source's order. */
    void users(Consumer<PrototypeRow> each);

    /** Passes every item of the prototype's {@code chats} table (one per message), in the source's order. */
    void chats(Consumer<PrototypeRow> each);

    /** Where the rows come from, for the report (no credentials). */
    String describe();
}
