-- Email (issue 20). Times are epoch milliseconds (UTC).

-- Whether the account's address is verified (a link it was emailed was followed, or a password
-- reset by email). Every account from before is unverified.
alter table users add column email_verified integer not null default 0 check (email_verified in (0, 1));

-- Unread-message reminders waiting for their time (docs/notifications.md, "Email"): at most one
-- per key (a conversation of a recipient, or a recipient's summary after quiet hours). The
-- server's poller reads the due ones by due_at; running one first deletes its row on condition
-- that it is still the same (reminder_key, due_at), so it runs once even with two pollers, and
-- a row survives a restart until it has run.
create table reminders (
    reminder_key     text    primary key,
    user_id          text    not null,
    conversation_id  text,
    due_at           integer not null
) strict, without rowid;
create index reminders_due on reminders (due_at);
