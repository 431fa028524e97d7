-- Accounts: the repeat of a chain's previous refresh token within a short grace window
-- (docs/decisions/accounts-refresh-repeat.md). Times are epoch milliseconds (UTC).
-- previous_hash: the token the last rotation replaced; repeat_until: until when (exclusive) it
-- may be presented again; sealed_successor: the current token, encrypted with a key derived from
-- the previous token (never usable without it). All null until the chain first rotates.
alter table refresh_sessions add column previous_hash text;
alter table refresh_sessions add column sealed_successor text;
alter table refresh_sessions add column repeat_until integer;
