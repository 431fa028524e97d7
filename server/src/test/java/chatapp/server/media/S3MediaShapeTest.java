package chatapp.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.aws.MotoServer;
import chatapp.aws.Tables;
import chatapp.aws.media.S3Settings;
import chatapp.media.TestImages;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The AWS media shape, chosen by configuration alone ({@code CHATAPP_MEDIA=s3},
 * {@code CHATAPP_STORE=dynamodb}), end to end over real HTTP against moto's S3 and DynamoDB: the
 * upload lands encrypted in the private bucket, its record in the {@code media} table, and the
 * link is a presigned S3 URL with the right type. (Signature and expiry checks of presigned URLs are
 * proven against S3Proxy in the aws module: moto does not check them.)
 */
class S3MediaShapeTest {

    static final String BUCKET = "chatapp-media-shape";
    static RunningServer server;
    static S3Settings s3;

    @BeforeAll
    static void start() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        AwsTestEnvironment.use(moto);
        s3 = new S3Settings(MotoServer.REGION, moto.endpoint(), BUCKET, MotoServer.CREDENTIALS);
        try (var client = s3.client()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        var dynamo = moto.dynamoSettings("media-shape-");
        try (var client = dynamo.client()) {
            new Tables(client, dynamo).create();
        }
        server = new RunningServer("--chatapp.media=s3", "--chatapp.s3-bucket=" + BUCKET,
                "--chatapp.s3-endpoint=" + moto.endpoint(), "--chatapp.store=dynamodb",
                "--chatapp.dynamodb-endpoint=" + moto.endpoint(), "--chatapp.table-prefix=media-shape-",
                "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY);
        server.beforeAll(null);
    }

    @AfterAll
    static void stop() {
        server.afterAll(null);
    }

    @Test
    void aPhotoAndAVideoGoToTheBucketEncryptedAndComeBackThroughPresignedUrls() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        HttpResponse<String> photo = Uploads.multipart(server, parent.accessToken(), "file", "x.jpg", "image/jpeg",
                TestImages.jpegWithGps(500, 300, 1));
        assertThat(photo.statusCode()).isEqualTo(201);
        String id = Uploads.json(photo).get("mediaId").asString();

        HttpResponse<String> link = Uploads.link(server, parent.accessToken(), id, "original");
        assertThat(link.statusCode()).isEqualTo(302);
        URI location = URI.create(link.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(s3.endpoint() + "/" + BUCKET + "/" + id + "/original?")
                .contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
        HttpResponse<byte[]> got = Uploads.download(server, location, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(TestImages.metadataLeft(got.body())).isEmpty();
        try (var client = s3.client()) {
            var head = client.headObject(b -> b.bucket(BUCKET).key(id + "/original"));
            assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
            assertThat(client.headObject(b -> b.bucket(BUCKET).key(id + "/thumbnail")).contentType())
                    .isEqualTo("image/jpeg");
        }

        byte[] mp4 = TestImages.fixture("tiny.mp4");
        HttpResponse<String> video = Uploads.raw(server, parent.accessToken(), "video/mp4", mp4);
        String videoId = Uploads.json(video).get("mediaId").asString();
        URI videoUrl = URI.create(Uploads.link(server, parent.accessToken(), videoId, null).headers()
                .firstValue("Location").orElseThrow());
        HttpResponse<byte[]> part = Uploads.download(server, videoUrl, "bytes=10-19");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(mp4, 10, 20));
    }

    /** Issue 21: every video's poster frame goes to the bucket too, and comes back as its thumbnail. */
    @Test
    void everyVideoHasItsPosterInTheBucket() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        for (String name : new String[] {"tiny.mp4", "tiny.mov", "tiny.webm"}) {
            HttpResponse<String> video = Uploads.raw(server, parent.accessToken(), "application/octet-stream",
                    TestImages.fixture(name));
            assertThat(video.statusCode()).as(video.body()).isEqualTo(201);
            String videoId = Uploads.json(video).get("mediaId").asString();
            assertThat(Uploads.json(video).get("durationMs").asLong()).as(name).isBetween(900L, 1100L);
            try (var client = s3.client()) {
                assertThat(client.headObject(b -> b.bucket(BUCKET).key(videoId + "/thumbnail")).contentType())
                        .as(name).isEqualTo("image/jpeg");
            }
            HttpResponse<String> link = Uploads.link(server, parent.accessToken(), videoId, "thumbnail");
            assertThat(link.statusCode()).isEqualTo(302);
            HttpResponse<byte[]> poster = Uploads.download(server,
                    URI.create(link.headers().firstValue("Location").orElseThrow()), null);
            assertThat(poster.statusCode()).isEqualTo(200);
            assertThat(poster.body()[0] & 0xff).as(name).isEqualTo(0xff);
            assertThat(poster.body()[1] & 0xff).isEqualTo(0xd8);
            assertThat(TestImages.metadataLeft(poster.body())).as(name).isEmpty();
        }
    }

    @Test
    void aPhotoMessageOnDynamoDbCarriesItsMediaAndOpensItForThePeer() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        Session stranger = TestAccounts.register(server, UserType.THERAPIST);
        String photo = Uploads.json(Uploads.raw(server, parent.accessToken(), "image/png", TestImages.png(30, 20, true)))
                .get("mediaId").asString();
        String conversation = Uploads.json(server.post("/api/v1/conversations",
                "{\"peerId\":\"" + therapist.userId() + "\"}", parent.accessToken())).get("conversationId").asString();
        // Consent (docs/security.md): photos wait until the therapist accepts.
        assertThat(server.post("/api/v1/conversations/" + conversation + "/accept", "{}", therapist.accessToken())
                .statusCode()).isEqualTo(200);
        HttpResponse<String> sent = server.post("/api/v1/conversations/" + conversation + "/messages",
                "{\"clientMessageId\":\"p1\",\"content\":{\"contentType\":\"image\",\"value\":\"" + photo + "\"}}",
                parent.accessToken());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        HttpResponse<String> history = server.get("/api/v1/conversations/" + conversation + "/messages",
                therapist.accessToken());
        var media = Uploads.json(history).get("items").get(0).get("media");
        assertThat(media.get("mediaId").asString()).isEqualTo(photo);
        assertThat(media.get("contentType").asString()).isEqualTo("image/png");
        assertThat(media.get("width").asInt()).isEqualTo(30);
        HttpResponse<String> link = Uploads.link(server, therapist.accessToken(), photo, "thumbnail");
        assertThat(link.statusCode()).isEqualTo(302);
        assertThat(Uploads.download(server, URI.create(link.headers().firstValue("Location").orElseThrow()), null)
                .statusCode()).isEqualTo(200);
        assertThat(Uploads.link(server, stranger.accessToken(), photo, "original").statusCode()).isEqualTo(404);
    }

    @Test
    void aRefusedUploadLeavesTheBucketEmpty() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        try (var client = s3.client()) {
            int before = client.listObjectsV2(b -> b.bucket(BUCKET)).keyCount();
            byte[] jpeg = TestImages.jpeg(100, 100);
            assertThat(Uploads.raw(server, parent.accessToken(), "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2))
                    .statusCode()).isEqualTo(400);
            assertThat(Uploads.raw(server, parent.accessToken(), "image/jpeg", TestImages.executable()).statusCode())
                    .isEqualTo(415);
            assertThat(client.listObjectsV2(b -> b.bucket(BUCKET)).keyCount()).isEqualTo(before);
        }
    }
}
