-- Sessions end everywhere (issue 19, docs/security.md "Sessions"). Times are epoch milliseconds.
-- refresh_sessions: what the session list shows: device (a short User-Agent summary), the
-- client's address, when the session started and was last used (written at most once a minute).
-- Chains from before this version get a start time of their expiry less the 30-day lifetime
-- (their last rotation: close enough for a list) and no device or address.
alter table refresh_sessions add column device text;
alter table refresh_sessions add column address text;
alter table refresh_sessions add column created_at integer;
alter table refresh_sessions add column last_used_at integer;
update refresh_sessions set created_at = expires_at - 2592000000 where created_at is null;

-- Tickets and connections name the session they belong to: a ticket of an ended session is
-- refused, and the connections of an ended session are closed. Null: bound to no session.
alter table websocket_tickets add column session_id text;
alter table websocket_connections add column session_id text;
