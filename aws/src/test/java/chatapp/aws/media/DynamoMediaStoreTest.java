package chatapp.aws.media;

import chatapp.aws.DynamoFixture;
import chatapp.media.MediaStore;
import chatapp.media.MediaStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MediaStoreContract} on DynamoDB (moto). */
class DynamoMediaStoreTest extends MediaStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected MediaStore store() {
        return new DynamoMediaStore(dynamo.client(), dynamo.settings());
    }
}
