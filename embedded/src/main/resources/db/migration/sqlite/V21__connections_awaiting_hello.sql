-- A connection whose hello has not gone out yet (API Gateway's $connect until the hello function
-- posted it; docs/decisions "greeted connections"): nothing is posted to it meanwhile, frames
-- are withheld in `withheld` (their JSON texts, one a line, oldest first) and handed to whoever
-- greets it. Records from before this version were greeted long ago: 0, nothing withheld.
alter table websocket_connections add column awaiting_hello integer not null default 0;
alter table websocket_connections add column withheld text;
