package chatapp.media;

import chatapp.core.ChatAppException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Blanks the metadata of a WebM (Matroska) file in place, the way {@link VideoMetadata} does for
 * MP4: every element that playback does not need becomes a {@code Void} element (id
 * {@code 0xEC}, RFC 9559 §5.1.2: "the content is discarded") of the same length filled with
 * zeros. Sizes and offsets do not change, so {@code SeekHead} and {@code Cues} positions still
 * point at the right bytes and no remuxing is needed. Reads only element headers, never the
 * media data, and holds nothing of the file in memory.
 *
 * <p>Kept: the EBML header's version fields and {@code DocType}; in the {@code Segment}
 * {@code SeekHead} entries of kept elements, {@code Info}'s {@code TimestampScale} and
 * {@code Duration}, {@code Tracks} (minus each track's {@code Name}, {@code CodecName} and
 * {@code AttachmentLink}), {@code Cluster}s and {@code Cues}. Blanked: {@code Tags} (where
 * muxers put title, location, comment, artist, dates, encoder), {@code Attachments},
 * {@code Chapters}, {@code Info}'s {@code Title}, {@code DateUTC}, {@code SegmentUUID} and file
 * names, and any element not listed as kept; {@code MuxingApp} and {@code WritingApp} are
 * required by the specification, so they stay, emptied. {@code CRC-32} elements of changed
 * masters are blanked too (they would no longer match).
 */
final class WebmMetadata {

    static final long EBML = 0x1A45DFA3L;
    static final long SEGMENT = 0x18538067L;
    static final long SEEK_HEAD = 0x114D9B74L;
    static final long SEEK = 0x4DBBL;
    static final long SEEK_ID = 0x53ABL;
    static final long INFO = 0x1549A966L;
    static final long TRACKS = 0x1654AE6BL;
    static final long TRACK_ENTRY = 0xAEL;
    static final long CLUSTER = 0x1F43B675L;
    static final long CUES = 0x1C53BB6BL;
    static final long VOID = 0xECL;
    static final long CRC32 = 0xBFL;

    /** EBMLVersion, EBMLReadVersion, EBMLMaxIDLength, EBMLMaxSizeLength, DocType, DocTypeVersion, DocTypeReadVersion. */
    private static final Set<Long> HEADER_KEPT = Set.of(0x4286L, 0x42F7L, 0x42F2L, 0x42F3L, 0x4282L, 0x4287L, 0x4285L,
            VOID);
    /** The Segment's children that playback needs. */
    private static final Set<Long> SEGMENT_KEPT = Set.of(SEEK_HEAD, INFO, TRACKS, CLUSTER, CUES, VOID);
    /** TimestampScale, Duration. */
    private static final Set<Long> INFO_KEPT = Set.of(0x2AD7B1L, 0x4489L, VOID);
    /** MuxingApp, WritingApp: mandatory, so emptied rather than removed. */
    private static final Set<Long> INFO_EMPTIED = Set.of(0x4D80L, 0x5741L);
    /** Name, CodecName, AttachmentLink (to the removed attachments), CRC-32. */
    private static final Set<Long> TRACK_ENTRY_BLANKED = Set.of(0x536EL, 0x258688L, 0x7446L, CRC32);
    /**
     * Timestamp, SilentTracks, Position, PrevSize, SimpleBlock, BlockGroup, EncryptedBlock, Void,
     * CRC-32: the ids that may follow inside a Cluster of unknown size (RFC 9559 §6.2); any other
     * id ends it.
     */
    private static final Set<Long> CLUSTER_CHILDREN = Set.of(0xE7L, 0x5854L, 0xA7L, 0xABL, 0xA3L, 0xA0L, 0xAFL, VOID,
            CRC32);

    private final FileChannel channel;
    private final long fileSize;
    private final ByteBuffer header = ByteBuffer.allocate(12);
    private int blanked;

    private WebmMetadata(FileChannel channel) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
    }

    /**
     * @return how many elements were blanked or emptied
     * @throws ChatAppException 400 {@code validation_failed} (field {@code file}) if the EBML
     *     structure cannot be walked (a broken header, an element overrunning its parent, an
     *     element of unknown size other than a Segment or Cluster): such a file cannot be
     *     shown to be clean, so it is not stored
     */
    static int blank(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            WebmMetadata walk = new WebmMetadata(channel);
            walk.file();
            return walk.blanked;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + file, e);
        }
    }

    /** One element's header: where it starts, its id, where its data starts and ends. */
    private record Element(long start, long id, long dataStart, long end, boolean unknownSize, boolean cutOff) {
    }

    private void file() throws IOException {
        long at = 0;
        while (at < fileSize) {
            Element e = read(at, fileSize);
            if (e.id() == EBML) {
                master(e, HEADER_KEPT, Set.of());
            } else if (e.id() == SEGMENT) {
                at = segment(e);
                continue;
            } else if (e.id() != VOID) {
                known(e);
                blank(e);
            }
            at = e.end();
        }
    }

    /** The Segment's children; returns where the Segment ends (for an unknown size: at the next top-level element). */
    private long segment(Element segment) throws IOException {
        long at = segment.dataStart();
        while (at < segment.end()) {
            Element e = read(at, segment.end());
            if (segment.unknownSize() && (e.id() == EBML || e.id() == SEGMENT)) {
                return at;
            }
            if (e.id() == CLUSTER && e.unknownSize()) {
                at = cluster(e, segment.end());
                continue;
            }
            known(e);
            if (!SEGMENT_KEPT.contains(e.id())) {
                blank(e);
            } else if (e.id() == SEEK_HEAD) {
                whole(e);
                seekHead(e);
            } else if (e.id() == INFO) {
                master(e, INFO_KEPT, INFO_EMPTIED);
            } else if (e.id() == TRACKS) {
                whole(e);
                tracks(e);
            }
            at = e.end();
        }
        return segment.end();
    }

    /** A Cluster of unknown size ends where an id that cannot be its child starts. */
    private long cluster(Element cluster, long limit) throws IOException {
        long at = cluster.dataStart();
        while (at < limit) {
            Element e = read(at, limit);
            if (!CLUSTER_CHILDREN.contains(e.id())) {
                return at;
            }
            known(e);
            at = e.end();
        }
        return limit;
    }

    /** Keeps the Seek entries of kept elements: an entry pointing at a blanked element is blanked too. */
    private void seekHead(Element seekHead) throws IOException {
        for (long at = seekHead.dataStart(); at < seekHead.end(); ) {
            Element e = read(at, seekHead.end());
            known(e);
            if (e.id() == SEEK) {
                whole(e);
                Long target = seekTarget(e);
                if (target == null || !SEGMENT_KEPT.contains(target)) {
                    blank(e);
                }
            } else if (e.id() != VOID) {
                blank(e);
            }
            at = e.end();
        }
    }

    private Long seekTarget(Element seek) throws IOException {
        for (long at = seek.dataStart(); at < seek.end(); ) {
            Element e = read(at, seek.end());
            known(e);
            long length = e.end() - e.dataStart();
            if (e.id() == SEEK_ID && length >= 1 && length <= 4) {
                ByteBuffer id = ByteBuffer.allocate((int) length);
                readFully(id, e.dataStart());
                long value = 0;
                for (int i = 0; i < length; i++) {
                    value = (value << 8) | (id.get(i) & 0xff);
                }
                return value;
            }
            at = e.end();
        }
        return null;
    }

    private void tracks(Element tracks) throws IOException {
        for (long at = tracks.dataStart(); at < tracks.end(); ) {
            Element e = read(at, tracks.end());
            known(e);
            if (e.id() == TRACK_ENTRY) {
                whole(e);
                for (long in = e.dataStart(); in < e.end(); ) {
                    Element child = read(in, e.end());
                    known(child);
                    if (TRACK_ENTRY_BLANKED.contains(child.id())) {
                        blank(child);
                    }
                    in = child.end();
                }
            } else if (e.id() != VOID) {
                blank(e);
            }
            at = e.end();
        }
    }

    /** Children in {@code kept} stay, those in {@code emptied} keep their header with zeroed data, others are blanked. */
    private void master(Element master, Set<Long> kept, Set<Long> emptied) throws IOException {
        whole(master);
        for (long at = master.dataStart(); at < master.end(); ) {
            Element e = read(at, master.end());
            known(e);
            if (emptied.contains(e.id())) {
                zero(e.dataStart(), e.end());
                blanked++;
            } else if (!kept.contains(e.id())) {
                blank(e);
            }
            at = e.end();
        }
    }

    /**
     * The element header at {@code at} inside a parent ending at {@code limit}. An element
     * running past the end of the file is the cut-off tail of the file: it ends with the file.
     */
    private Element read(long at, long limit) throws IOException {
        header.clear().limit((int) Math.min(header.capacity(), fileSize - at));
        channel.read(header, at);
        int available = header.position();
        int idLength = vintLength(available > 0 ? header.get(0) : 0);
        if (idLength < 1 || idLength > 4 || available < idLength + 1) {
            throw damaged("an element header at byte " + at + " is not valid EBML");
        }
        long id = 0;
        for (int i = 0; i < idLength; i++) {
            id = (id << 8) | (header.get(i) & 0xff);
        }
        int sizeLength = vintLength(header.get(idLength));
        if (sizeLength < 1 || sizeLength > 8 || available < idLength + sizeLength) {
            throw damaged("an element size at byte " + (at + idLength) + " is not valid EBML");
        }
        long size = header.get(idLength) & (0xff >> sizeLength);
        boolean allOnes = size == (0xff >> sizeLength);
        for (int i = 1; i < sizeLength; i++) {
            int b = header.get(idLength + i) & 0xff;
            allOnes &= b == 0xff;
            size = (size << 8) | b;
        }
        long dataStart = at + idLength + sizeLength;
        if (allOnes) {
            return new Element(at, id, dataStart, limit, true, false);
        }
        long end = dataStart + size;
        boolean cutOff = false;
        if (end > limit || end < dataStart) {
            if (limit < fileSize) {
                throw damaged("an element at byte " + at + " runs past the end of its parent");
            }
            end = fileSize;
            cutOff = true;
        }
        return new Element(at, id, dataStart, end, false, cutOff);
    }

    /**
     * A master whose children are read must be whole: one that runs past the end of the file is
     * more likely a broken size than a cut-off file (which ends in its clusters), and reading
     * on would take the elements after it for its children.
     */
    private static void whole(Element e) {
        known(e);
        if (e.cutOff()) {
            throw damaged("an element of id 0x" + Long.toHexString(e.id()) + " at byte " + e.start()
                    + " runs past the end of the file");
        }
    }

    /** Only a Segment and a Cluster may have an unknown size (RFC 9559 §6.2); other masters cannot be bounded. */
    private static void known(Element e) {
        if (e.unknownSize()) {
            throw damaged("an element of id 0x" + Long.toHexString(e.id()) + " at byte " + e.start()
                    + " has an unknown size");
        }
    }

    /** Length in bytes of an EBML variable-size integer from its first byte: 1 + its leading zero bits. */
    private static int vintLength(byte first) {
        int b = first & 0xff;
        return b == 0 ? 9 : Integer.numberOfLeadingZeros(b) - 23;
    }

    /** Turns the element into a Void of the same total length, filled with zeros. */
    private void blank(Element e) throws IOException {
        long total = e.end() - e.start();
        int width = 1;
        while (total - 1 - width >= (1L << (7 * width)) - 1) {
            width++;
        }
        long size = total - 1 - width;
        ByteBuffer head = ByteBuffer.allocate(1 + width);
        head.put((byte) VOID);
        for (int i = width - 1; i >= 0; i--) {
            head.put((byte) (size >>> (8 * i)));
        }
        head.put(1, (byte) (head.get(1) | (0x80 >> (width - 1))));
        head.flip();
        while (head.hasRemaining()) {
            channel.write(head, e.start() + head.position());
        }
        zero(e.start() + 1 + width, e.end());
        blanked++;
    }

    private void zero(long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, to - from)));
        for (long p = from; p < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - p));
            p += channel.write(zeros, p);
        }
    }

    private void readFully(ByteBuffer buffer, long at) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw damaged("the file ends inside an element");
            }
        }
    }

    private static ChatAppException damaged(String why) {
        return ChatAppException.invalid("file", "is not a readable WEBM video (" + why + ")");
    }
}
