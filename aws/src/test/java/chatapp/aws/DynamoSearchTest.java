package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserStore;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.MessageSearch;
import chatapp.chat.SearchContract;
import chatapp.chat.SearchHit;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import chatapp.core.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Search on DynamoDB-on-moto (fresh tables per test): the conversations' key ranges, matched in
 * Java; and the read budget: a search that stops at it goes on from where it stopped.
 */
class DynamoSearchTest extends SearchContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @BeforeEach
    void freshTables() {
        dynamo.moto().reset();
        new Tables(dynamo.client(), dynamo.settings()).create();
    }

    @Override
    protected ChatStore store() {
        return new DynamoChatStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }

    @Test
    void aSearchStoppedByItsReadBudgetGoesOnWithTheSameResults() {
        CursorCodec cursors = new CursorCodec("a cursor key of at least thirty-two bytes".getBytes());
        ChatStore full = store();
        ChatStore small = new DynamoChatStore(dynamo.client(), dynamo.settings(), null, 3);
        ChatService chat = new ChatService(full, users(), cursors, new Ticking(), event -> { });
        String me = Ids.random();
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String c = Ids.random();
            full.createConversation(c, me, Ids.random(), Instant.parse("2026-02-01T00:00:00Z"));
            conversations.add(c);
        }
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < conversations.size(); i++) {
                String text = (round + i) % 3 == 0 ? "budget match " + round + " " + i : "filler " + round + " " + i;
                chat.send(me, conversations.get(i), Ids.random(), Content.text(text));
            }
        }
        List<String> expected = ids(new MessageSearch(full, chat, cursors, null), me, null, 100);
        assertThat(expected).hasSize(6);
        for (int limit : new int[] {1, 2, 5}) {
            assertThat(ids(new MessageSearch(small, chat, cursors, null), me, null, limit)).containsExactlyElementsOf(expected);
        }
        String within = conversations.getFirst();
        assertThat(ids(new MessageSearch(small, chat, cursors, null), me, within, 1))
                .containsExactlyElementsOf(ids(new MessageSearch(full, chat, cursors, null), me, within, 100));
        // A stop at the budget may give an empty page, with a cursor to go on.
        Page<SearchHit> first = new MessageSearch(small, chat, cursors, null).search(me, null, "budget", 5, null);
        assertThat(first.items().size()).isLessThan(5);
        assertThat(first.nextCursor()).isNotNull();
    }

    private static List<String> ids(MessageSearch search, String userId, String conversationId, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<SearchHit> page = search.search(userId, conversationId, "budget", limit, cursor);
            page.items().forEach(h -> ids.add(h.message().messageId()));
            cursor = page.nextCursor();
            assertThat(++pages).isLessThan(100);
        } while (cursor != null);
        return ids;
    }
}
