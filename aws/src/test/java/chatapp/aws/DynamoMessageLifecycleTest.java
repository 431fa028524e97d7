package chatapp.aws;

import chatapp.account.UserStore;
import chatapp.aws.media.DynamoMediaStore;
import chatapp.aws.media.S3MediaFiles;
import chatapp.aws.media.S3ProxyFixture;
import chatapp.chat.ChatStore;
import chatapp.chat.MessageLifecycleContract;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivered, edit, delete for everyone and reply on DynamoDB-on-moto (fresh tables per test), media in S3 (S3Proxy). */
class DynamoMessageLifecycleTest extends MessageLifecycleContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    static final S3ProxyFixture s3 = new S3ProxyFixture();

    private MediaFiles files;

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

    @Override
    protected MediaStore media() {
        return new DynamoMediaStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected MediaFiles files() {
        if (files == null) {
            files = new S3MediaFiles(s3.settings().client(), s3.settings().presigner(), s3.settings().bucket(),
                    S3MediaFiles.DEFAULT_MULTIPART_THRESHOLD, S3MediaFiles.DEFAULT_PART_SIZE);
        }
        return files;
    }
}
