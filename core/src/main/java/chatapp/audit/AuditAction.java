package chatapp.audit;

/**
 * What an audit entry records (docs/audit.md lists each with an example entry). The names are
 * stored and exported: extend, never rename. {@link Kind#SECURITY} actions are the account's
 * own security page ({@code GET /users/me/activity}); the others are access to data and
 * administration.
 */
public enum AuditAction {
    /** A sign-in; outcome {@code success} or {@code invalid_credentials} (actor then unknown, target the account if the email is known). */
    SIGN_IN(Kind.SECURITY),
    /** The caller's own session ended by signing out. */
    SIGN_OUT(Kind.SECURITY),
    /** Sessions ended by the user: one ({@code DELETE /users/me/sessions/{id}}), all ({@code logout-all}) or all others (password change). */
    SESSION_ENDED(Kind.SECURITY),
    /** The password changed (PATCH /users/me with a password). */
    PASSWORD_CHANGED(Kind.SECURITY),
    /**
     * The profile changed (issue 21): {@code PATCH /users/me/profile}, {@code PUT}/{@code DELETE
     * /users/me/avatar}; detail {@code fields}, the names of the fields that changed, never their values.
     */
    PROFILE_CHANGED(Kind.SECURITY),
    /** The account deleted (issue 22, built by the user-data work): {@link AuditLog#accountDeleted}. */
    ACCOUNT_DELETED(Kind.SECURITY),
    /** A new conversation requested ({@code POST /conversations} that created it). */
    CONVERSATION_REQUESTED(Kind.ACCESS),
    /** A conversation opened: {@code GET /conversations/{id}}, or {@code POST /conversations} for one that exists. */
    CONVERSATION_OPENED(Kind.ACCESS),
    CONVERSATION_ACCEPTED(Kind.ACCESS),
    CONVERSATION_DECLINED(Kind.ACCESS),
    CONVERSATION_BLOCKED(Kind.ACCESS),
    CONVERSATION_UNBLOCKED(Kind.ACCESS),
    /** A page of a conversation's messages read; detail {@code cursor}/{@code after}/{@code limit} say which page. */
    HISTORY_READ(Kind.ACCESS),
    /** A link to a photo or video handed out through the API (an authenticated request); detail {@code variant}. */
    MEDIA_VIEWED(Kind.ACCESS),
    /** A photo's or video's bytes served through a signed link (no account on the request); detail {@code variant}, {@code signedLink}. */
    MEDIA_DOWNLOADED(Kind.ACCESS),
    /** A message edited by its sender ({@code PATCH /conversations/{id}/messages/{messageId}}): {@link AuditLog#messageEdited}. */
    MESSAGE_EDITED(Kind.ACCESS),
    /** A message deleted for everyone by its sender ({@code DELETE /conversations/{id}/messages/{messageId}}): {@link AuditLog#messageDeleted}. */
    MESSAGE_DELETED(Kind.ACCESS),
    /** The user's data exported (issue 22, built by the user-data work): {@link AuditLog#dataExported}. */
    DATA_EXPORTED(Kind.ACCESS),
    /** A command of the command line that changes data ({@code seed}, {@code create-tables}); target the command. */
    ADMIN_COMMAND(Kind.ADMIN),
    /** A password set through a reset link emailed to the account (issue 20); never the link's token. */
    PASSWORD_RESET(Kind.SECURITY),
    /** The account's email address verified through a link emailed to it (issue 20). */
    EMAIL_VERIFIED(Kind.SECURITY);

    /** Which chain family an action belongs to (docs/decisions/0034-audit-chain.md). */
    public enum Kind { SECURITY, ACCESS, ADMIN }

    private final Kind kind;

    AuditAction(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
