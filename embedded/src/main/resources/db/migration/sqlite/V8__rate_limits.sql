-- Rate limits (issue 18): one bucket per limit and key, the limiter's state as it wrote it,
-- replaced by compare-and-set. A bucket expires when it would be full again (epoch
-- milliseconds); expired rows are deleted by the store when it writes a new bucket.

create table rate_limit_buckets (
    bucket_key text primary key,
    state      blob not null,
    expires_at integer not null
) without rowid;
create index rate_limit_buckets_by_expiry on rate_limit_buckets (expires_at);
