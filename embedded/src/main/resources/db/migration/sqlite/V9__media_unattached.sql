-- Uploads never sent are deleted after a while (issue 19): `attached` turns 1 when a message
-- first references the upload (with its first viewer, in the same write); the partial index holds
-- only the unattached ones, so finding the old ones reads only them.
alter table media add column attached integer not null default 0;
update media set attached = 1 where media_id in (select media_id from media_viewers);
create index media_unattached on media (created_at) where attached = 0;
