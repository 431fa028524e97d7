package chatapp.aws;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.FrameHandlerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each client frame means, through the chat service on DynamoDB (moto), as the Lambda runs
 * it. Every test makes users of its own, so the class shares one set of fresh tables.
 */
class DynamoFrameHandlerTest extends FrameHandlerContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected ChatStore chatStore() {
        return new DynamoChatStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }

    /** Fewer than on SQLite: moto runs one transaction at a time, copying the table each time. */
    @Override
    protected int pipelinedSends() {
        return 100;
    }

    @Override
    protected ConnectionStore connectionStore() {
        return new DynamoConnectionStore(dynamo.client(), dynamo.settings());
    }
}
