package chatapp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.Ids;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link MediaStore} adapter keeps (SQLite and DynamoDB run this class): records
 * come back as stored, ids are unique, and who may see a media is a key lookup that a replayed
 * send does not change.
 */
public abstract class MediaStoreContract {

    /** The adapter under test, on a real database. */
    protected abstract MediaStore store();

    static Media photo(String owner) {
        String id = Ids.random();
        return new Media(id, owner, MediaFormat.JPEG, 123_456, 4032, 3024, null, id + "/original",
                id + "/thumbnail", Instant.parse("2026-11-24T10:15:30.123Z"));
    }

    static Media video(String owner) {
        String id = Ids.random();
        return new Media(id, owner, MediaFormat.WEBM, 98_765_432L, null, null, null, id + "/original", null,
                Instant.parse("2026-11-24T10:15:31.456Z"));
    }

    @Test
    void aPhotoRecordComesBackAsStored() {
        Media m = photo("owner-" + Ids.random());
        store().create(m);
        assertThat(store().find(m.mediaId())).contains(m);
    }

    @Test
    void aVideoWithUnknownDimensionsAndADurationComesBackAsStored() {
        String id = Ids.random();
        Media m = new Media(id, "o", MediaFormat.MP4, 104_857_600L, 1920, 1080, 61_234L, id + "/original", null,
                Instant.parse("2026-11-24T10:15:32.001Z"));
        store().create(m);
        assertThat(store().find(id)).contains(m);
        Media w = video("o");
        store().create(w);
        assertThat(store().find(w.mediaId())).contains(w);
    }

    @Test
    void anUnknownIdIsEmpty() {
        assertThat(store().find(Ids.random())).isEmpty();
    }

    @Test
    void anIdIsNeverStoredTwice() {
        Media m = photo("a");
        store().create(m);
        Media other = new Media(m.mediaId(), "b", MediaFormat.PNG, 1, 1, 1, null, "x", null, Instant.now());
        assertThatThrownBy(() -> store().create(other)).isInstanceOf(IllegalStateException.class);
        assertThat(store().find(m.mediaId())).contains(m);
    }

    @Test
    void onlyTheUsersItWasSentToAreViewersAndRepeatingChangesNothing() {
        Media m = photo("owner");
        Media other = photo("owner");
        store().create(m);
        store().create(other);
        assertThat(store().isViewer(m.mediaId(), "peer")).isFalse();

        store().addViewer(m.mediaId(), "peer");
        store().addViewer(m.mediaId(), "peer");
        store().addViewer(m.mediaId(), "second-peer");

        assertThat(store().isViewer(m.mediaId(), "peer")).isTrue();
        assertThat(store().isViewer(m.mediaId(), "second-peer")).isTrue();
        assertThat(store().isViewer(m.mediaId(), "stranger")).isFalse();
        assertThat(store().isViewer(other.mediaId(), "peer")).isFalse();
        assertThat(store().find(m.mediaId())).contains(m);
    }

    @Test
    void aViewerOfAnUnknownMediaIsNotRecorded() {
        String id = Ids.random();
        store().addViewer(id, "peer");
        assertThat(store().isViewer(id, "peer")).isFalse();
        assertThat(store().find(id)).isEmpty();
    }
}
