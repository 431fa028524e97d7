package chatapp.server.account;

import static chatapp.server.account.SqliteRateLimitTest.login;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes of the AWS shape on one DynamoDB: the account limit holds across them (DynamoRateLimitStore). */
class DynamoRateLimitTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer nodeA = DynamoShape.server();

    @RegisterExtension
    @Order(3)
    static final RunningServer nodeB = DynamoShape.server();

    @Test
    void failedLoginsOnEitherNodeCountTowardsOneLimit() {
        TestAccounts.Session victim = TestAccounts.register(nodeA, UserType.THERAPIST);
        for (int i = 0; i < 5; i++) {
            RunningServer node = i % 2 == 0 ? nodeA : nodeB;
            assertThat(login(node, victim.email(), "Wrong-Guess-" + i + "-xyz").statusCode()).isEqualTo(401);
        }
        assertThat(login(nodeB, victim.email(), victim.password()).statusCode()).isEqualTo(429);
        assertThat(login(nodeA, victim.email(), victim.password()).statusCode()).isEqualTo(429);
        assertThat(TestAccounts.login(nodeB, TestAccounts.register(nodeB, UserType.PARENT)).userId()).isNotBlank();
    }
}
