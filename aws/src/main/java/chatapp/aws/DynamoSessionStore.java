package chatapp.aws;

import chatapp.account.RefreshSession;
import chatapp.account.Session;
import chatapp.account.SessionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link SessionStore} on DynamoDB: refresh-token chains and the tokens issued, items of
 * {@link AuthItems}. Every item expires by itself; reads also check the expiry because TTL
 * deletes late. A rotation is one transaction: the chain moves from the presented token to its
 * successor on condition that the presented one is current, and the successor's token item is
 * added.
 */
public final class DynamoSessionStore implements SessionStore {

    private final DynamoDbClient dynamo;
    private final AuthItems auth;

    public DynamoSessionStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.auth = new AuthItems(dynamo, settings);
    }

    @Override
    public void create(RefreshSession session) {
        RetryPolicy.DEFAULT.run(() -> dynamo.transactWriteItems(b -> b.transactItems(
                auth.putChain(session), auth.putToken(session))));
    }

    @Override
    public Rotation rotate(String presentedHash, Successor next, Instant now) {
        Optional<AuthItems.Token> found = auth.liveToken(presentedHash, now);
        if (found.isEmpty()) {
            return Rotation.rejected();
        }
        AuthItems.Token token = found.get();
        RefreshSession rotated = new RefreshSession(token.sessionId(), token.userId(), next.tokenHash(), next.expiresAt());
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(List.of(
                        auth.rotateChain(token, presentedHash, next, now), auth.putToken(rotated))));
                return new Rotation(Rotation.Outcome.ROTATED, token.userId(), token.sessionId());
            } catch (TransactionCanceledException e) {
                CancellationReason reason = e.cancellationReasons().getFirst();
                if (!"ConditionalCheckFailed".equals(reason.code())) {
                    if (!RetryPolicy.isTransient(e)) {
                        throw e;
                    }
                    RetryPolicy.DEFAULT.pause(attempt, e); // a concurrent presentation is mid-commit: decide after it
                    continue;
                }
                // The chain as it was when the condition failed (or read now, where the item is not returned).
                return spent(auth.chain(token, reason.hasItem() ? reason.item() : null), token, presentedHash, now);
            }
        }
    }

    /** The answer for a presented token that is not (or no longer) the chain's current one. */
    private Rotation spent(Optional<AuthItems.Chain> found, AuthItems.Token token, String presentedHash, Instant now) {
        if (found.isEmpty() || found.get().revoked() || found.get().expiresAtMs() <= now.toEpochMilli()) {
            return Rotation.rejected();
        }
        AuthItems.Chain chain = found.get();
        if (presentedHash.equals(chain.previousHash()) && now.toEpochMilli() < chain.repeatUntilMs()) {
            // The previous token within its window: the successor that rotation issued, unchanged.
            return new Rotation(Rotation.Outcome.REPEATED, token.userId(), token.sessionId(), chain.sealedSuccessor());
        }
        // The chain is live but has moved on: the presented token is spent. Revoke the chain.
        return auth.revokeChain(token.userId(), token.sessionId())
                ? new Rotation(Rotation.Outcome.REUSED, token.userId(), token.sessionId()) : Rotation.rejected();
    }

    @Override
    public Optional<String> revoke(String tokenHash, String userId, Instant now) {
        Optional<AuthItems.Token> token = auth.liveToken(tokenHash, now);
        if (token.isEmpty() || !token.get().userId().equals(userId)) {
            return Optional.empty();
        }
        return auth.revokeChain(userId, token.get().sessionId()) ? Optional.of(token.get().sessionId()) : Optional.empty();
    }

    @Override
    public List<String> revokeOthers(String userId, String keepSessionId) {
        List<String> revoked = new ArrayList<>();
        for (String sessionId : auth.unrevokedChains(userId)) {
            if (!sessionId.equals(keepSessionId) && auth.revokeChain(userId, sessionId)) {
                revoked.add(sessionId);
            }
        }
        return revoked;
    }

    @Override
    public boolean revokeSession(String userId, String sessionId) {
        return auth.revokeChain(userId, sessionId);
    }

    @Override
    public boolean live(String userId, String sessionId, Instant now) {
        return auth.chainLive(userId, sessionId, now.toEpochMilli());
    }

    @Override
    public List<Session> sessions(String userId, Instant now) {
        return auth.liveChains(userId, now.toEpochMilli());
    }

    @Override
    public void touch(String userId, String sessionId, Instant at) {
        auth.touchChain(userId, sessionId, at.toEpochMilli());
    }
}
