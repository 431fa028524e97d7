-- Photos and videos (issue 7): one row per upload, and who besides the owner may see it.
create table media (
    media_id      text    not null primary key,
    owner_id      text    not null,
    content_type  text    not null,
    size          integer not null,
    width         integer,
    height        integer,
    duration_ms   integer,
    original_key  text    not null,
    thumbnail_key text,
    created_at    integer not null  -- epoch milliseconds
) strict;

-- A row per (media, user it was sent to): the GET /media/{id} check is one primary-key lookup.
create table media_viewers (
    media_id text not null references media (media_id),
    user_id  text not null,
    primary key (media_id, user_id)
) strict, without rowid;
