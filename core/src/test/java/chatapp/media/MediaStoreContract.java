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

    /**
     * A profile photo ({@link Avatars}) must outlive message retention and a message's erasure, so
     * no message may carry one (docs/audit.md, "Retention"); its keys say what it is.
     */
    @Test
    void aProfilePhotoIsNeverSentInAMessage() {
        String id = Ids.random();
        String owner = "owner-" + Ids.random();
        Media avatar = new Media(id, owner, MediaFormat.JPEG, 1_000, 10, 10, null, id + "/avatar",
                id + "/avatar-thumbnail", Instant.parse("2026-11-24T10:15:30.123Z"));
        store().create(avatar);
        store().addViewer(id, owner);
        assertThat(store().find(id)).hasValueSatisfying(m -> assertThat(m.isAvatar()).isTrue());
        assertThatThrownBy(() -> new Attachments(store()).attach(owner, id, "image", "peer"))
                .isInstanceOfSatisfying(chatapp.core.ChatAppException.class, e -> assertThat(e.getMessage())
                        .contains("profile photo"));
        assertThat(store().isViewer(id, "peer")).isFalse();

        Media sent = photo(owner);
        store().create(sent);
        assertThat(new Attachments(store()).attach(owner, sent.mediaId(), "image", "peer")).isEqualTo(sent);
        assertThat(sent.isAvatar()).isFalse();
        assertThat(Media.expiresWithMessages(sent.originalKey())).isTrue();
        assertThat(Media.expiresWithMessages(sent.thumbnailKey())).isTrue();
        assertThat(Media.expiresWithMessages(avatar.originalKey())).isFalse();
        assertThat(Media.expiresWithMessages(avatar.thumbnailKey())).isFalse();
    }

    /**
     * An upload is sent in at most one message (docs/decisions/0052-one-message-per-upload.md):
     * the first attach wins, a second (another message, another recipient) changes nothing, and
     * of attaches at once exactly one wins.
     */
    @Test
    void anUploadIsAttachedOnceEvenWhenTwoAttachesRace() throws Exception {
        String owner = "owner-" + Ids.random();
        Media m = photo(owner);
        store().create(m);
        assertThat(store().attachOnce(m.mediaId(), "parent-a")).isTrue();
        assertThat(store().attachOnce(m.mediaId(), "parent-b")).isFalse();
        assertThat(store().attachOnce(m.mediaId(), "parent-a")).isFalse();
        assertThat(store().isViewer(m.mediaId(), "parent-a")).isTrue();
        assertThat(store().isViewer(m.mediaId(), "parent-b")).isFalse();
        assertThat(store().unattachedBefore(Instant.parse("2100-01-01T00:00:00Z"), 1_000))
                .extracting(Media::mediaId).doesNotContain(m.mediaId());
        assertThat(store().deleteUnattached(m.mediaId())).isFalse();
        assertThat(store().attachOnce(Ids.random(), "parent-a")).as("unknown upload").isFalse();

        // Through Attachments: 409 with a detail that says what to do.
        assertThatThrownBy(() -> new Attachments(store()).attach(owner, m.mediaId(), "image", "parent-b"))
                .isInstanceOfSatisfying(Attachments.AlreadySent.class, e -> {
                    assertThat(e.code()).isEqualTo(chatapp.core.ErrorCode.CONFLICT);
                    assertThat(e.detail()).isEqualTo("this photo was already sent; upload it again to send it again");
                });
        assertThat(store().isViewer(m.mediaId(), "parent-b")).isFalse();

        for (int round = 0; round < 5; round++) {
            Media raced = photo(owner);
            store().create(raced);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<Boolean>> attaches = new java.util.ArrayList<>();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                for (int i = 0; i < 4; i++) {
                    String viewer = "viewer-" + i;
                    attaches.add(pool.submit(() -> {
                        start.await();
                        return store().attachOnce(raced.mediaId(), viewer);
                    }));
                }
                start.countDown();
                int won = 0;
                for (java.util.concurrent.Future<Boolean> f : attaches) {
                    won += f.get() ? 1 : 0;
                }
                assertThat(won).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A send whose message write failed gives its upload back: a retry attaches it, or the sweep deletes it. */
    @Test
    void aDetachedUploadIsUnattachedAgainOnlyForItsOneViewer() {
        Media m = photo("owner-" + Ids.random());
        store().create(m);
        assertThat(store().attachOnce(m.mediaId(), "parent-a")).isTrue();
        assertThat(store().detach(m.mediaId(), "parent-b")).as("not its viewer").isFalse();
        assertThat(store().isViewer(m.mediaId(), "parent-a")).isTrue();
        assertThat(store().detach(m.mediaId(), "parent-a")).isTrue();
        assertThat(store().isViewer(m.mediaId(), "parent-a")).isFalse();
        assertThat(store().unattachedBefore(Instant.parse("2100-01-01T00:00:00Z"), 1_000))
                .extracting(Media::mediaId).contains(m.mediaId());
        assertThat(store().attachOnce(m.mediaId(), "parent-a")).isTrue();

        // An upload that more than one user may see (sent before one message per upload) stays.
        Media shared = photo("owner-" + Ids.random());
        store().create(shared);
        store().addViewer(shared.mediaId(), "parent-a");
        store().addViewer(shared.mediaId(), "parent-b");
        assertThat(store().detach(shared.mediaId(), "parent-a")).isFalse();
        assertThat(store().isViewer(shared.mediaId(), "parent-a")).isTrue();
        assertThat(store().deleteUnattached(shared.mediaId())).isFalse();
        assertThat(store().detach(Ids.random(), "parent-a")).as("unknown upload").isFalse();
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
    void aDeletedRecordIsGoneWithItsViewersAttachedOrNot() {
        Media sent = photo("owner-" + Ids.random());
        Media kept = photo("owner-" + Ids.random());
        store().create(sent);
        store().create(kept);
        store().addViewer(sent.mediaId(), "viewer");
        store().addViewer(kept.mediaId(), "viewer");
        assertThat(store().delete(sent.mediaId())).isTrue();
        assertThat(store().find(sent.mediaId())).isEmpty();
        assertThat(store().isViewer(sent.mediaId(), "viewer")).isFalse();
        assertThat(store().delete(sent.mediaId())).as("a second time").isFalse();
        assertThat(store().find(kept.mediaId())).contains(kept);
        assertThat(store().isViewer(kept.mediaId(), "viewer")).isTrue();
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

    private static Media photoAt(String owner, Instant createdAt) {
        String id = Ids.random();
        return new Media(id, owner, MediaFormat.JPEG, 1_000, 10, 10, null, id + "/original", id + "/thumbnail", createdAt);
    }

    /** The unattached uploads of {@code owner} before {@code cutoff}, as the store lists them (other tests share it). */
    private java.util.List<String> unattachedOf(String owner, Instant cutoff) {
        return store().unattachedBefore(cutoff, 1_000).stream()
                .filter(m -> m.ownerId().equals(owner)).map(Media::mediaId).toList();
    }

    @Test
    void uploadsNoMessageUsesAreListedOldestFirstBeforeTheCutoffOnly() {
        String owner = "owner-" + Ids.random();
        Instant base = Instant.parse("2001-03-01T00:00:00Z");
        Media oldest = photoAt(owner, base);
        Media older = photoAt(owner, base.plusSeconds(60));
        Media recent = photoAt(owner, base.plusSeconds(3_600));
        Media sent = photoAt(owner, base.plusSeconds(30));
        for (Media m : java.util.List.of(recent, older, sent, oldest)) {
            store().create(m);
        }
        store().addViewer(sent.mediaId(), "peer");

        assertThat(unattachedOf(owner, base.plusSeconds(600))).containsExactly(oldest.mediaId(), older.mediaId());
        assertThat(unattachedOf(owner, base.plusSeconds(60))).as("strictly before").containsExactly(oldest.mediaId());
        assertThat(store().unattachedBefore(base.plusSeconds(7_200), 1)).hasSize(1);
        assertThat(store().unattachedBefore(base.plusSeconds(7_200), 1).getFirst()).isIn(oldest, older, recent);
        store().unattachedBefore(base.plusSeconds(7_200), 1_000).stream().filter(m -> m.mediaId().equals(oldest.mediaId()))
                .findFirst().ifPresentOrElse(m -> assertThat(m).isEqualTo(oldest),
                        () -> { throw new AssertionError("the oldest is listed as stored"); });
    }

    @Test
    void onlyAnUploadNoMessageUsesIsDeletedAndAViewerAddedFirstWins() {
        String owner = "owner-" + Ids.random();
        Instant base = Instant.parse("2002-03-01T00:00:00Z");
        Media unsent = photoAt(owner, base);
        Media sent = photoAt(owner, base.plusSeconds(1));
        store().create(unsent);
        store().create(sent);
        store().addViewer(sent.mediaId(), "peer");

        assertThat(store().deleteUnattached(sent.mediaId())).isFalse();
        assertThat(store().find(sent.mediaId())).contains(sent);
        assertThat(store().isViewer(sent.mediaId(), "peer")).isTrue();

        assertThat(store().deleteUnattached(unsent.mediaId())).isTrue();
        assertThat(store().find(unsent.mediaId())).isEmpty();
        assertThat(store().deleteUnattached(unsent.mediaId())).as("already gone").isFalse();
        assertThat(unattachedOf(owner, base.plusSeconds(10))).isEmpty();

        // deleted first: a late viewer records nothing, so the send that wanted it is refused
        store().addViewer(unsent.mediaId(), "peer");
        assertThat(store().isViewer(unsent.mediaId(), "peer")).isFalse();
        assertThat(store().deleteUnattached(Ids.random())).isFalse();
    }
}
