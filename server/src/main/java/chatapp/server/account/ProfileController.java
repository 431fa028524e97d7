package chatapp.server.account;

import chatapp.account.Accounts;
import chatapp.account.ProfileEdit;
import chatapp.account.Profiles;
import chatapp.account.User;
import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.chat.ChatService;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.media.Avatars;
import chatapp.media.MediaService;
import chatapp.server.http.Refusals;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Profiles (issue 21; API.md {@code /users/me/profile}, {@code /users/me/avatar},
 * {@code /users/{userId}/avatar}): changing one's own, and avatars handed out to those who may
 * see the profile (docs/security.md, "Profiles"). Every change is audited as
 * {@link AuditAction#PROFILE_CHANGED} naming the fields, never their values.
 */
@RestController
@RequestMapping("/api/v1/users")
@SecurityRequirement(name = "bearer")
class ProfileController {

    private final Accounts accounts;
    private final Profiles profiles;
    private final Avatars avatars;
    private final MediaService media;
    private final ChatService chat;
    private final AuditLog audit;

    ProfileController(Accounts accounts, Profiles profiles, Avatars avatars, MediaService media, ChatService chat,
            AuditLog audit) {
        this.accounts = accounts;
        this.profiles = profiles;
        this.avatars = avatars;
        this.media = media;
        this.chat = chat;
        this.audit = audit;
    }

    /**
     * 200 the new own view. Null or absent fields stay, {@code ""} removes one. 400 naming each
     * invalid field: a display name with look-alike letters of mixed scripts, control, direction
     * or invisible characters, or over 64 characters (after NFKC); a therapist's field sent by a
     * parent; a length.
     */
    @PatchMapping("/me/profile")
    @Refusals(ErrorCode.CONFLICT)
    OwnView edit(@AuthenticationPrincipal String userId, @RequestBody ProfileRequest body, Who who) {
        User user = accounts.get(userId);
        Profiles.Edited edited = profiles.edit(user, new ProfileEdit(body.displayName(), body.bio(), body.credentials(),
                body.practice()));
        if (!edited.fields().isEmpty()) {
            audit.record(who, AuditAction.PROFILE_CHANGED, userId, Map.of("fields", String.join(",", edited.fields())));
        }
        return OwnView.of(user, edited.profile());
    }

    /**
     * Multipart upload of the avatar, field {@code file}: a photo, processed like every photo
     * (checked by its bytes, re-encoded, metadata stripped, thumbnailed) and counted against the
     * account's upload limits. Replaces (and deletes) the previous avatar. 415 for a video.
     */
    @PutMapping(path = "/me/avatar", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Refusals({ErrorCode.TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA, ErrorCode.RATE_LIMITED, ErrorCode.CONFLICT})
    OwnView avatarForm(@AuthenticationPrincipal String userId,
            @RequestPart(name = "file", required = false) MultipartFile file, Who who) throws IOException {
        if (file == null) {
            throw ChatAppException.invalid("file", "is required: send the photo as the multipart field 'file'");
        }
        try (InputStream in = file.getInputStream()) {
            return replaced(userId, file.getSize(), in, who);
        }
    }

    /** Raw upload of the avatar: the body is the photo, whatever {@code Content-Type} says. */
    @PutMapping("/me/avatar")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "the photo itself "
            + "(JPEG, PNG, GIF, WebP); its type is decided by its bytes",
            content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")))
    @Refusals({ErrorCode.TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA, ErrorCode.RATE_LIMITED, ErrorCode.CONFLICT})
    OwnView avatarRaw(@AuthenticationPrincipal String userId, HttpServletRequest request, Who who) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > media.limits().largest()) {
            throw new ChatAppException(ErrorCode.TOO_LARGE, "uploads may be at most "
                    + (media.limits().largest() >> 20) + " MiB");
        }
        return replaced(userId, declared, request.getInputStream(), who);
    }

    private OwnView replaced(String userId, long declared, InputStream body, Who who) {
        avatars.replace(userId, declared, body);
        audit.record(who, AuditAction.PROFILE_CHANGED, userId, Map.of("fields", "avatar"));
        return OwnView.of(accounts.get(userId), profiles.of(userId));
    }

    /** 204; the avatar and its files are deleted. Without an avatar, nothing changes (still 204). */
    @DeleteMapping("/me/avatar")
    @ApiResponse(responseCode = "204", description = "there is no avatar now")
    @Refusals(ErrorCode.CONFLICT)
    ResponseEntity<Void> removeAvatar(@AuthenticationPrincipal String userId, Who who) {
        if (avatars.remove(userId)) {
            audit.record(who, AuditAction.PROFILE_CHANGED, userId, Map.of("fields", "avatar"));
        }
        return ResponseEntity.noContent().build();
    }

    /** 302 to a link to the caller's own avatar; 404 without one. */
    @GetMapping("/me/avatar")
    @ApiResponse(responseCode = "302", description = "to a link that works for a few minutes", headers = @Header(
            name = "Location", required = true, schema = @Schema(type = "string")))
    @Refusals(ErrorCode.NOT_FOUND)
    ResponseEntity<Void> ownAvatar(@AuthenticationPrincipal String callerId,
            @Parameter(schema = @Schema(allowableValues = {"original", "thumbnail"}, defaultValue = "original"))
            @RequestParam(required = false) String variant) {
        return avatar(callerId, callerId, variant);
    }

    /**
     * 302 to a link that works for a few minutes, for whoever may see this profile; 404 when the user has no avatar, and for everyone who may not see the
     * profile (a parent asking for another parent's, users of a blocked conversation), the same
     * answer as for an unknown id.
     */
    @GetMapping("/{userId}/avatar")
    @ApiResponse(responseCode = "302", description = "to a link that works for a few minutes", headers = @Header(
            name = "Location", required = true, schema = @Schema(type = "string")))
    @Refusals(ErrorCode.NOT_FOUND)
    ResponseEntity<Void> avatar(@AuthenticationPrincipal String callerId, @PathVariable String userId,
            @Parameter(schema = @Schema(allowableValues = {"original", "thumbnail"}, defaultValue = "original"))
            @RequestParam(required = false) String variant) {
        MediaService.Variant v = switch (variant == null ? "original" : variant) {
            case "original" -> MediaService.Variant.ORIGINAL;
            case "thumbnail" -> MediaService.Variant.THUMBNAIL;
            default -> throw ChatAppException.invalid("variant", "must be original or thumbnail");
        };
        if (chat.blockedBetween(callerId, userId)) {
            throw ChatAppException.notFound("no such user");
        }
        accounts.profile(callerId, userId); // 404 for whom the caller may not see
        URI link = avatars.link(userId, v);
        return ResponseEntity.status(302).location(link).cacheControl(CacheControl.noStore()).build();
    }

    /** Only the fields to change: null or absent stays, "" removes. */
    record ProfileRequest(
            @Schema(maxLength = 64, description = "the name to show: Unicode, stored in NFKC; letters of one script "
                    + "(or Latin with Han, Kana or Hangul); no control, direction or invisible characters") String displayName,
            @Schema(maxLength = 1000, description = "therapists only; line breaks allowed") String bio,
            @Schema(maxLength = 200, description = "therapists only; one line") String credentials,
            @Schema(maxLength = 120, description = "therapists only; one line") String practice) {
    }
}
