-- The audit log (issue 22, docs/audit.md). Append-only: entries are inserted, never updated
-- (the trigger refuses it), and deleted only by the purge once expired. Times are epoch
-- milliseconds. Each entry is one link of its chain (chain, seq), holding the hash of the entry
-- before it (docs/decisions: the audit chain). position = time#chain#seq (zero-padded) sorts all
-- entries in time order; day is its UTC date (yyyy-mm-dd), the unit of export and verification.
create table audit_log (
    chain               text    not null,
    seq                 integer not null,
    position            text    not null,
    day                 text    not null,
    at                  integer not null,
    actor               text,
    action              text    not null,
    target              text,
    detail              text    not null,
    session_id          text,
    address             text,
    outcome             text    not null,
    previous_hash       text    not null,
    previous_expires_at integer,
    expires_at          integer not null,
    hash                text    not null,
    primary key (chain, seq)
) without rowid;

create index audit_log_by_day on audit_log (day, position);
create index audit_log_by_target on audit_log (target, position) where target is not null;
create index audit_log_by_expiry on audit_log (expires_at);

create trigger audit_log_append_only before update on audit_log
begin
    select raise(abort, 'audit entries are append-only');
end;
