-- Contact by consent (issue 19, docs/security.md "Consent"): each conversation's state, the same
-- on both participants' rows. Every conversation from before is accepted (the default).
-- requested_by: the requester while the conversation was never accepted; blocked_by: who blocked.
alter table conversations add column state text not null default 'accepted'
    check (state in ('requested', 'accepted', 'declined', 'blocked'));
alter table conversations add column requested_by text;
alter table conversations add column blocked_by text;
