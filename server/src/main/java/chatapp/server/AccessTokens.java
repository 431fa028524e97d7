package chatapp.server;

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
 */
public final class AccessTokens {

    /** How long an access token is valid. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);
    static final String ISSUER = "chatapp";
    static final String SESSION_CLAIM = "sid";

    private final MACSigner signer;
    private final String keyId;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Clock clock;

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
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp", "iat", SESSION_CLAIM)));
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
        try {
            JWTClaimsSet claims = processor.process(token, null);
            String sid = claims.getStringClaim(SESSION_CLAIM);
            return Optional.of(new Bearer(claims.getSubject(), sid));
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The caller a valid access token names. */
    public record Bearer(String userId, String sessionId) {
    }
}
