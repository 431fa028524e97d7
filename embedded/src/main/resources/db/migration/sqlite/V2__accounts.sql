-- Accounts (issue 12). Times are epoch milliseconds (UTC).

-- users: email is stored normalised; username_key is the lower-cased username. Both unique:
-- the unique indexes decide concurrent sign-ups (no read before the write).
create table users (
    user_id            text    primary key,
    username           text    not null,
    username_key       text    not null,
    email              text    not null,
    password_hash      text    not null,
    user_type          text    not null check (user_type in ('parent', 'therapist')),
    specialization     text,
    children_count     integer,
    created_at         integer not null
) strict;
create unique index users_email on users (email);
create unique index users_username_key on users (username_key);
-- The directory: one type, ordered by username.
create index users_directory on users (user_type, username_key);

-- Directory by prefix of specialization: one row per prefix of the lower-cased
-- specialization, so that one prefix is one index range ordered by username.
create table directory_terms (
    user_type    text not null,
    term         text not null,
    username_key text not null,
    user_id      text not null,
    primary key (user_type, term, username_key)
) strict, without rowid;
create index directory_terms_user on directory_terms (user_id);

-- Refresh-token chains ("sessions"): the hash of the current token; a revoked chain stays
-- until it expires so that reuse of its tokens is still recognised.
create table refresh_sessions (
    session_id   text    primary key,
    user_id      text    not null,
    current_hash text    not null,
    expires_at   integer not null,
    revoked      integer not null default 0
) strict;
create index refresh_sessions_user on refresh_sessions (user_id);
create index refresh_sessions_expiry on refresh_sessions (expires_at);

-- Every refresh token ever issued (hashed), current or spent, until it expires.
create table refresh_tokens (
    token_hash text    primary key,
    session_id text    not null,
    expires_at integer not null
) strict;
create index refresh_tokens_expiry on refresh_tokens (expires_at);
