package chatapp.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * Access tokens (issue 12): JWTs signed HS256 with the key of {@link SigningKeys}, valid 15
 * minutes, {@code sub} = userId, {@code sid} = the session (refresh-token chain) that minted
 * it, {@code kid} in the header so keys can rotate. Verification (Nimbus's processor) accepts
 * only HS256 with a known {@code kid}, a valid signature, our issuer and an unexpired
 * {@code exp} (60 s clock skew); anything else (unsigned {@code alg: none}, garbled, expired,
 * foreign) is refused.
 *
 * <p>A token that verified is remembered with its expiry ({@value #REMEMBERED} tokens at most),
 * so a client's next requests skip parsing and the HMAC: validity is a function of the token
 * and the time alone (the keys do not change while the server runs), so the answer is the same.
 */
public final class AccessTokens {

    /** How long an access token is valid. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);
    static final String ISSUER = "chatapp";
    static final String SESSION_CLAIM = "sid";
    /** Verified tokens remembered; one is about 0.5 KB. */
    static final int REMEMBERED = 20_000;
    /** Nimbus's default clock skew for {@code exp}, kept for remembered tokens too. */
    private static final Duration SKEW = Duration.ofSeconds(DefaultJWTClaimsVerifier.DEFAULT_MAX_CLOCK_SKEW_SECONDS);

    private final MACSigner signer;
    private final String keyId;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final Clock clock;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(REMEMBERED)
            .expireAfterWrite(LIFETIME.plus(SKEW))
            .build();

    private record Verified(Bearer bearer, Instant expiresAt) {
    }

    public AccessTokens(SigningKeys keys, Clock clock) {
        try {
            this.signer = new MACSigner(keys.tokenKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        this.keyId = keys.keyId();
        this.clock = clock;
        OctetSequenceKey jwk = new OctetSequenceKey.Builder(keys.tokenKey()).keyID(keyId).algorithm(JWSAlgorithm.HS256).build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableJWKSet<>(new JWKSet(jwk))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp", "iat", SESSION_CLAIM)) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant()); // the server's clock, also for remembered tokens
            }
        });
    }

    /** A new access token for {@code userId} in session {@code sessionId}. */
    public String issue(String userId, String sessionId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(userId)
                .claim(SESSION_CLAIM, sessionId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keyId).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Who a valid token speaks for; empty for every token that is not valid now. */
    public Optional<Bearer> verify(String token) {
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            // The same bound as the processor's: exp plus its clock skew.
            return clock.instant().isBefore(known.expiresAt().plus(SKEW)) ? Optional.of(known.bearer()) : Optional.empty();
        }
        if (!canonical(token)) { // a remembered token was canonical when it verified
            return Optional.empty();
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Bearer bearer = new Bearer(claims.getSubject(), claims.getStringClaim(SESSION_CLAIM));
            verified.put(token, new Verified(bearer, claims.getExpirationTime().toInstant()));
            return Optional.of(bearer);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * True if every part of the compact JWS is base64url without padding in its one canonical
     * form (RFC 7515 section 2, RFC 4648 section 3.5). The last character of a 32-byte MAC carries
     * two unused bits that lenient decoders ignore, so four spellings would otherwise verify:
     * a token is accepted exactly as it was issued.
     */
    private static boolean canonical(String token) {
        if (token == null || token.length() > 4096) {
            return false;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            for (String part : parts) {
                if (!URL.encodeToString(Base64.getUrlDecoder().decode(part)).equals(part)) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The caller a valid access token names. */
    public record Bearer(String userId, String sessionId) {
    }
}
