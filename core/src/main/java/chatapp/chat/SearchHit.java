package chatapp.chat;

import java.util.List;

/**
 * One message found by a search (docs/api.md, "Search"): the message as history shows it and
 * where the words occur in its text, as UTF-16 code unit offsets (JavaScript string indices),
 * so that a client highlights them as text, never as markup.
 *
 * @param peerId the other participant of the message's conversation
 */
public record SearchHit(Message message, String peerId, List<SearchQuery.Match> matches) {
    public SearchHit {
        matches = List.copyOf(matches);
    }
}
