package chatapp.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.server.OperatorError;
import chatapp.server.cli.ChatApp;
import chatapp.server.cli.CommandLineTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the signing key comes from in each shape, and what an operator hears when it is wrong. */
class SigningKeysTest {

    @TempDir
    Path tmp;

    @Test
    void theOneMachineShapeGeneratesAnOwnerOnlyKeyOnceAndKeepsIt() throws Exception {
        Path dir = tmp.resolve("data");
        SigningKeys first = SigningKeys.of(ChatApp.bind("--chatapp.data-dir=" + dir));
        Path file = dir.resolve("signing-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        SigningKeys again = SigningKeys.of(ChatApp.bind("--chatapp.data-dir=" + dir));
        assertThat(again.tokenKey()).isEqualTo(first.tokenKey());
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(first.cursorKey()).as("one key per purpose").isNotEqualTo(first.tokenKey());
    }

    @Test
    void aDataDirectoryThatIsAFileIsSaidSo() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> SigningKeys.of(ChatApp.bind("--chatapp.data-dir=" + file)))
                .isInstanceOf(OperatorError.class)
                .hasMessageContaining(file + " is a file, not a directory (CHATAPP_DATA_DIR must name a directory)");
    }

    @Test
    void aConfiguredKeyWinsAndMustBeBase64OfAtLeast32Bytes() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        SigningKeys configured = SigningKeys.of(ChatApp.bind("--chatapp.data-dir=" + tmp, "--chatapp.signing-key=" + key));
        assertThat(configured.keyId()).isNotBlank();
        assertThat(tmp.resolve("signing-key")).doesNotExist();
        assertThatThrownBy(() -> SigningKeys.of(ChatApp.bind("--chatapp.signing-key=" + Base64.getEncoder().encodeToString(new byte[16]))))
                .isInstanceOf(OperatorError.class).hasMessageContaining("at least 32");
        assertThatThrownBy(() -> SigningKeys.of(ChatApp.bind("--chatapp.signing-key=not*base64")))
                .isInstanceOf(OperatorError.class).hasMessageContaining("not valid base64");
    }

    @Test
    void theAwsShapeRefusesToStartWithoutAKeyInOneLine() throws Exception {
        CommandLineTest.Result r = CommandLineTest.chatapp(List.of("serve", "--chatapp.port=0", "--chatapp.store=dynamodb",
                "--chatapp.dynamodb-endpoint=http://127.0.0.1:9", "--chatapp.data-dir=" + tmp.resolve("data")));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr().strip()).startsWith("chatapp: CHATAPP_SIGNING_KEY is required when CHATAPP_STORE=dynamodb");
        assertThat(r.stderr().strip().lines()).hasSize(1);
    }
}
