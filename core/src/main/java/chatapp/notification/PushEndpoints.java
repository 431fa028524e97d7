package chatapp.notification;

import chatapp.core.PublicAddresses;

/**
 * Which hosts a push endpoint may name (docs/security.md, "Push endpoints"; decision 53): only
 * hosts whose every address is an ordinary public one ({@link PublicAddresses}).
 */
final class PushEndpoints {

    private PushEndpoints() {
    }

    /**
     * Whether every address {@code host} resolves to is public; false also when it does not
     * resolve (a push service's host always does). Resolves through the system's resolver.
     */
    static boolean isPublicHost(String host) {
        return !PublicAddresses.of(host, PublicAddresses.Resolver.SYSTEM).isEmpty();
    }
}
