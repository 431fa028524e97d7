package chatapp.realtime;

import chatapp.core.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ConnectionStore} and {@link Connections}, run on every adapter: several
 * connections per user, found by user and by connection id, refreshed in place, removed on
 * close, and ignored once expired.
 */
public abstract class ConnectionStoreContract {

    /** The store under test, fresh or shared across the class. */
    protected abstract ConnectionStore store();

    private final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    private static String user() {
        return "user-" + Ids.random();
    }

    @Test
    void aUserHoldsSeveralConnectionsFoundByUserAndById() {
        Connections connections = new Connections(store(), clock);
        String alice = user();
        String bob = user();
        List<WebSocketConnection> alices = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            alices.add(connections.open(alice, "builtin:node-" + (i % 3)));
        }
        WebSocketConnection bobs = connections.open(bob, "https://example.execute-api.eu-west-1.amazonaws.com/prod");

        assertThat(connections.of(alice)).containsExactlyInAnyOrderElementsOf(alices);
        assertThat(connections.of(bob)).containsExactly(bobs);
        assertThat(connections.find(alices.get(17).connectionId())).contains(alices.get(17));
        assertThat(connections.find(bobs.connectionId())).contains(bobs);
        assertThat(connections.of(user())).isEmpty();
        assertThat(connections.find("no-such-connection")).isEmpty();
    }

    @Test
    void aRecordKeepsWhereItIsHeldAndItsTimesToMilliseconds() {
        WebSocketConnection c = new WebSocketConnection(user(), Ids.random(), "builtin:host/abc",
                clock.instant().plusMillis(1), clock.instant().plusSeconds(900).plusMillis(999));
        store().put(c);

        assertThat(store().forUser(c.userId())).containsExactly(c);
        assertThat(store().find(c.connectionId())).contains(c);
    }

    @Test
    void aConnectionKeepsItsSessionThroughRefreshes() {
        Connections connections = new Connections(store(), clock);
        String user = user();
        WebSocketConnection c = connections.open(new Ticket("h", user, clock.instant(), "session-1"), null, "builtin:a");
        WebSocketConnection named = connections.open(new Ticket("h", user, clock.instant(), "session-2"), "named-" + Ids.random(),
                "apigateway:x");

        assertThat(c.sessionId()).isEqualTo("session-1");
        assertThat(connections.find(c.connectionId())).contains(c);
        assertThat(connections.of(user)).containsExactlyInAnyOrder(c, named);
        clock.advance(Connections.RECORD_LIFETIME.minus(Connections.REFRESH_WHEN_LEFT));
        WebSocketConnection renewed = connections.refresh(c);
        assertThat(renewed.sessionId()).isEqualTo("session-1");
        assertThat(store().find(c.connectionId()).orElseThrow().sessionId()).isEqualTo("session-1");
    }

    @Test
    void beyondTheCapAreTheOldestOtherConnections() {
        Connections connections = new Connections(store(), clock);
        String user = user();
        List<WebSocketConnection> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(connections.open(user, "builtin:a"));
            clock.advance(Duration.ofMillis(5));
        }
        WebSocketConnection newest = open.getLast();
        assertThat(connections.beyondCap(newest, 4)).isEmpty();
        assertThat(connections.beyondCap(newest, 3)).containsExactly(open.get(0));
        assertThat(connections.beyondCap(newest, 2)).containsExactly(open.get(0), open.get(1));
        assertThat(connections.beyondCap(open.get(0), 1)).as("never the one just opened")
                .containsExactly(open.get(1), open.get(2), open.get(3));
    }

    @Test
    void closingRemovesOnlyThatConnection() {
        Connections connections = new Connections(store(), clock);
        String carol = user();
        WebSocketConnection phone = connections.open(carol, "builtin:a");
        WebSocketConnection laptop = connections.open(carol, "builtin:a");

        connections.close(phone);

        assertThat(connections.of(carol)).containsExactly(laptop);
        assertThat(connections.find(phone.connectionId())).isEmpty();
        assertThat(store().remove(carol, phone.connectionId())).as("already gone").isFalse();
        assertThat(store().remove(carol, laptop.connectionId())).isTrue();
        assertThat(connections.of(carol)).isEmpty();
    }

    @Test
    void anUnrefreshedRecordExpiresAndARefreshedOneLives() {
        Connections connections = new Connections(store(), clock);
        String dave = user();
        WebSocketConnection dead = connections.open(dave, "builtin:crashed");
        WebSocketConnection alive = connections.open(dave, "builtin:alive");

        clock.advance(Duration.ofMinutes(4));
        assertThat(connections.refresh(alive)).as("not due yet").isEqualTo(alive);
        clock.advance(Duration.ofMinutes(2));
        WebSocketConnection refreshed = connections.refresh(alive);
        assertThat(refreshed.expiresAt()).isEqualTo(clock.instant().plus(Connections.RECORD_LIFETIME));
        assertThat(refreshed.connectedAt()).isEqualTo(alive.connectedAt());

        clock.advance(Duration.ofMinutes(9));
        assertThat(connections.of(dave)).as("15 min after opening").containsExactly(refreshed);
        assertThat(connections.find(dead.connectionId())).isEmpty();
        assertThat(connections.find(alive.connectionId())).contains(refreshed);
    }

    @Test
    void aUserIsOnlineSinceTheirOldestLiveConnection() {
        Connections connections = new Connections(store(), clock);
        String erin = user();
        assertThat(connections.onlineSince(erin)).isEmpty();

        WebSocketConnection first = connections.open(erin, "builtin:a");
        clock.advance(Duration.ofMinutes(1));
        WebSocketConnection second = connections.open(erin, "builtin:b");
        assertThat(connections.onlineSince(erin)).contains(first.connectedAt());

        clock.advance(Connections.RECORD_LIFETIME.minusMinutes(1));
        assertThat(connections.onlineSince(erin)).as("the first expired").contains(second.connectedAt());
        connections.close(second);
        assertThat(connections.onlineSince(erin)).isEmpty();
    }
}
