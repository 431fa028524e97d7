package chatapp.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads never sent are deleted, record and files, once older than the configured age (issue
 * 19), by the server's sweep; an upload a message uses is never deleted, and one deleted can no
 * longer be sent. The age is lowered to {@link #AGE} by configuration. Abstract: run on each store
 * by {@link SqliteUnattachedUploadsTest} and {@link DynamoUnattachedUploadsTest}.
 */
abstract class UnattachedUploadsTest {

    static final String[] AGE = {"--chatapp.limits.unattached-media-age=2s",
        "--chatapp.limits.unattached-media-sweep=300ms"};

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    abstract RunningServer server();

    private String upload(Session who) {
        HttpResponse<String> r = server().send(HttpRequest.newBuilder(server().uri("/api/v1/media"))
                .header("Authorization", "Bearer " + who.accessToken())
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png()))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("mediaId").asString();
    }

    private HttpResponse<String> send(Session from, String conversation, String clientMessageId, String mediaId) {
        return server().post("/api/v1/conversations/" + conversation + "/messages", "{\"clientMessageId\":\""
                + clientMessageId + "\",\"content\":{\"contentType\":\"image\",\"value\":\"" + mediaId + "\"}}",
                from.accessToken());
    }

    private HttpResponse<String> link(Session who, String mediaId) {
        return server().get("/api/v1/media/" + mediaId, who.accessToken());
    }

    private static int download(URI url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anUploadNeverSentIsDeletedAndOneAMessageUsesIsKept() throws Exception {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        HttpResponse<String> opened = server().post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        String conversation = JSON.readTree(opened.body()).get("conversationId").asString();
        assertThat(server().post("/api/v1/conversations/" + conversation + "/accept", "{}", therapist.accessToken())
                .statusCode()).isEqualTo(200);

        String unsent = upload(parent);
        String sent = upload(parent);
        assertThat(send(parent, conversation, "photo-1", sent).statusCode()).isEqualTo(201);
        HttpResponse<String> unsentLink = link(parent, unsent);
        assertThat(unsentLink.statusCode()).isEqualTo(302);
        URI unsentFile = server().uri("/").resolve(unsentLink.headers().firstValue("Location").orElseThrow());
        assertThat(download(unsentFile)).isEqualTo(200);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (link(parent, unsent).statusCode() != 404) {
            assertThat(System.nanoTime()).as("the unsent upload is deleted within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(download(unsentFile)).as("its file is gone too").isEqualTo(404);
        HttpResponse<String> late = send(parent, conversation, "photo-2", unsent);
        assertThat(late.statusCode()).as(late.body()).isEqualTo(400);

        Thread.sleep(1_000); // more sweeps
        for (Session who : new Session[] {parent, therapist}) {
            HttpResponse<String> kept = link(who, sent);
            assertThat(kept.statusCode()).isEqualTo(302);
            assertThat(download(server().uri("/").resolve(kept.headers().firstValue("Location").orElseThrow())))
                    .isEqualTo(200);
        }
    }

    private static byte[] png() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
