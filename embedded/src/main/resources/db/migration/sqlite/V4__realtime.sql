-- Real-time (issue 14): single-use WebSocket tickets (hashed) and the WebSocketConnections
-- records. Times are epoch milliseconds. Both expire: rows past expires_at are deleted by
-- the stores on their next write (the index keeps that a range delete, not a scan).

create table websocket_tickets (
    ticket_hash text primary key,
    user_id     text not null,
    expires_at  integer not null
) without rowid;
create index websocket_tickets_by_expiry on websocket_tickets (expires_at);

create table websocket_connections (
    user_id       text not null,
    connection_id text not null unique,
    held_by       text not null,
    connected_at  integer not null,
    expires_at    integer not null,
    primary key (user_id, connection_id)
) without rowid;
create index websocket_connections_by_expiry on websocket_connections (expires_at);
