-- Notifications (issue 20, docs/notifications.md): each user's preferences, the Web Push
-- subscriptions of their sessions, and which away messages were shown. Times are epoch
-- milliseconds, UTC.
create table notification_preferences (
    user_id     text not null primary key,
    -- chatapp.notification.PreferencesDocument as JSON (the same document as the REST API's)
    preferences text not null
) strict;
-- One subscription per session (a browser subscribes again: the row is replaced).
create table push_subscriptions (
    user_id    text    not null,
    session_id text    not null,
    endpoint   text    not null,
    p256dh     text    not null,
    auth       text    not null,
    created_at integer not null,
    primary key (user_id, session_id)
) strict;
-- An away message is shown once per conversation per away period (named by its end); rows
-- are purged once the period is over.
create table away_notices (
    conversation_id text    not null,
    period_ends     integer not null,
    primary key (conversation_id, period_ends)
) strict;
create index away_notices_by_end on away_notices (period_ends);
