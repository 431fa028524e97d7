package chatapp.aws;

import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link TicketStore} on DynamoDB: ticket items of {@link AuthItems} ({@code ticket#<hash>}).
 * Taking is one {@code DeleteItem} returning the old item, so exactly one taker gets it. TTL
 * removes expired tickets.
 */
public final class DynamoTicketStore implements TicketStore {

    private final AuthItems auth;

    public DynamoTicketStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.auth = new AuthItems(dynamo, settings);
    }

    @Override
    public void put(Ticket ticket) {
        auth.putTicket(ticket);
    }

    @Override
    public Optional<Ticket> take(String ticketHash) {
        return auth.takeTicket(ticketHash);
    }
}
