-- The user's own data (issue 22, docs/audit.md "Export"): data export jobs. An archive lives in
-- the media directory under archive_key until expires_at, when the purge deletes job and file.
-- Times are epoch milliseconds, UTC.
create table exports (
    export_id   text    not null primary key,
    user_id     text    not null,
    state       text    not null check (state in ('pending', 'running', 'ready', 'failed')),
    created_at  integer not null,
    archive_key text,
    size        integer not null default 0,
    expires_at  integer not null
) strict;
-- A user's exports, newest first.
create index exports_by_user on exports (user_id, created_at);
-- The purge reads only what is due.
create index exports_by_expiry on exports (expires_at);
