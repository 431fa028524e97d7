-- Chat (issue 13): messages (the seed's Chats) and each participant's inbox row.
-- Times are epoch milliseconds, UTC. See docs/data-model.md.

-- One row per message. message_id = 12-digit per-conversation sequence + '-' + 8 random
-- characters, so (conversation_id, message_id) order is commit order (one writer assigns it).
-- A rowid table: text can be 10,000 characters, too large for WITHOUT ROWID's clustered pages.
create table chats (
    conversation_id    text    not null,
    message_id         text    not null,
    sender_id          text    not null,
    recipient_id       text    not null,
    created_at         integer not null,
    content_type       text    not null,
    content_value      text    not null,
    media_id           text,
    media_content_type text,
    media_size         integer,
    media_width        integer,
    media_height       integer,
    media_duration_ms  integer,
    client_message_id  text    not null,
    read_at            integer,
    primary key (conversation_id, message_id)
);

-- The idempotency guard: one message per (conversationId, clientMessageId).
create unique index chats_by_client_message on chats (conversation_id, client_message_id);

-- Only unread messages, per recipient: read receipts touch exactly these rows.
create index chats_unread on chats (conversation_id, recipient_id, message_id) where read_at is null;

-- One row per participant per conversation: the inbox.
create table conversations (
    user_id         text    not null,
    conversation_id text    not null,
    peer_id         text    not null,
    last_message_id text,
    unread_count    integer not null default 0 check (unread_count >= 0),
    updated_at      integer not null,
    primary key (user_id, conversation_id)
) without rowid;

-- The inbox, most recently active first.
create index conversations_by_activity on conversations (user_id, updated_at, conversation_id);
