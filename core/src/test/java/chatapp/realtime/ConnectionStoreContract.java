package chatapp.realtime;

import chatapp.core.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    @Test
    void aConnectionAwaitingHelloIsStoredSoAndGreetedOnce() {
        Connections connections = new Connections(store(), clock);
        String user = user();
        WebSocketConnection c = connections.open(new Ticket("h", user, clock.instant(), "session-1"), "named-" + Ids.random(),
                "apigateway:x", true);
        WebSocketConnection builtin = connections.open(user, "builtin:a");

        assertThat(c.awaitingHello()).isTrue();
        assertThat(builtin.awaitingHello()).as("the built-in gateway queues hello first").isFalse();
        assertThat(connections.of(user)).containsExactlyInAnyOrder(c, builtin);
        assertThat(connections.find(c.connectionId())).contains(c);

        assertThat(connections.greeted(user, c.connectionId())).contains(List.of());
        WebSocketConnection greeted = new WebSocketConnection(user, c.connectionId(), "apigateway:x", c.connectedAt(),
                c.expiresAt(), "session-1", false);
        assertThat(connections.of(user)).containsExactlyInAnyOrder(greeted, builtin);
        assertThat(connections.greeted(user, c.connectionId())).as("greeted already").contains(List.of());
        clock.advance(Connections.RECORD_LIFETIME.minus(Connections.REFRESH_WHEN_LEFT));
        assertThat(connections.refresh(greeted).awaitingHello()).isFalse();
        assertThat(store().find(c.connectionId()).orElseThrow().awaitingHello()).isFalse();
    }

    @Test
    void framesForAConnectionAwaitingHelloAreWithheldAndHandedToItsGreeterInOrder() {
        Connections connections = new Connections(store(), clock);
        String user = user();
        WebSocketConnection c = connections.open(new Ticket("h", user, clock.instant()), "named-" + Ids.random(), "apigateway:x",
                true);
        String first = "{\"type\":\"presence\",\"userId\":\"u-1\",\"online\":true}";
        String second = "{\"type\":\"message\",\"text\":\"Grüße,\\nbis Dienstag \\u2028 \\\"4\\\"\"}";

        assertThat(connections.mayPost(c, first)).as("withheld, not posted before hello").isFalse();
        assertThat(connections.mayPost(c, second)).isFalse();
        assertThat(connections.of(user)).as("the record stays").containsExactly(c);

        assertThat(connections.greeted(user, c.connectionId())).contains(List.of(first, second));
        assertThat(connections.mayPost(c, "{\"type\":\"typing\"}")).as("read before the greeting, greeted by now").isTrue();
        assertThat(connections.greeted(user, c.connectionId())).as("handed over once").contains(List.of());
    }

    @Test
    void aGreetedConnectionMayBePostedToAndAGoneOneNeither() {
        Connections connections = new Connections(store(), clock);
        String user = user();
        WebSocketConnection greeted = connections.open(user, "apigateway:x");
        WebSocketConnection gone = connections.open(new Ticket("h", user, clock.instant()), "named-" + Ids.random(),
                "apigateway:x", true);
        connections.close(gone);

        assertThat(connections.mayPost(greeted, "{}")).isTrue();
        assertThat(connections.mayPost(gone, "{}")).isFalse();
        assertThat(connections.greeted(user, gone.connectionId())).as("no record to greet").isEqualTo(Optional.empty());
        assertThat(connections.of(user)).as("nothing brought back").containsExactly(greeted);
    }

    @Test
    void atMostMaxWithheldFramesAreKeptAndRemovingTheRecordDropsThem() {
        Connections connections = new Connections(store(), clock);
        String user = user();
        Ticket ticket = new Ticket("h", user, clock.instant());
        String id = "named-" + Ids.random();
        WebSocketConnection c = connections.open(ticket, id, "apigateway:x", true);
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < Connections.MAX_WITHHELD; i++) {
            frames.add("{\"n\":" + i + "}");
            assertThat(connections.mayPost(c, frames.getLast())).isFalse();
        }
        assertThat(store().withhold(user, id, "{\"n\":\"over\"}", Connections.MAX_WITHHELD)).as("full").isFalse();
        assertThat(connections.mayPost(c, "{\"n\":\"over\"}")).as("dropped").isFalse();
        assertThat(connections.greeted(user, id)).contains(frames);

        WebSocketConnection again = connections.open(ticket, "named-" + Ids.random(), "apigateway:x", true);
        assertThat(connections.mayPost(again, "{\"n\":1}")).isFalse();
        connections.close(again);
        store().put(again);
        assertThat(connections.greeted(user, again.connectionId())).as("removed with its record").contains(List.of());
    }

    @Test
    void aRecordAwaitingHelloPastTheGreetingTimeIsTakenAsGreeted() {
        Connections connections = new Connections(store(), clock);
        String user = user();
        WebSocketConnection c = connections.open(new Ticket("h", user, clock.instant()), "named-" + Ids.random(), "apigateway:x",
                true);
        assertThat(connections.awaitsHello(c)).isTrue();

        clock.advance(Connections.GREETING_WITHIN);
        assertThat(connections.awaitsHello(c)).as("its greeter gave up, died or never greets").isFalse();
        assertThat(connections.mayPost(c, "{}")).isTrue();
        assertThat(connections.greeted(user, c.connectionId())).as("nothing was withheld").contains(List.of());
    }
}
