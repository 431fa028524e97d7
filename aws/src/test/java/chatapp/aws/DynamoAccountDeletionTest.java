package chatapp.aws;

import chatapp.account.SessionStore;
import chatapp.account.UserStore;
import chatapp.aws.media.DynamoMediaStore;
import chatapp.aws.media.S3MediaFiles;
import chatapp.aws.media.S3ProxyFixture;
import chatapp.chat.ChatStore;
import chatapp.core.RateLimitStore;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.userdata.AccountDeletionContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Account deletion on DynamoDB-on-moto (fresh tables per test) with media in S3 (S3Proxy). */
class DynamoAccountDeletionTest extends AccountDeletionContract {

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
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected SessionStore sessionStore() {
        return new DynamoSessionStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected ChatStore chats() {
        return new DynamoChatStore(dynamo.client(), dynamo.settings());
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

    @Override
    protected RateLimitStore rateLimits() {
        return new DynamoRateLimitStore(dynamo.client(), dynamo.settings());
    }
}
