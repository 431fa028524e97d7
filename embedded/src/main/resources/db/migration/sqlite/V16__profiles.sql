-- Profiles (issue 21, docs/data-model.md): a display name and an avatar for everyone; a bio,
-- credentials and practice for therapists. Null when unset. Columns of the account's own row,
-- so that deleting the account deletes its profile in the same write; the avatar's bytes and
-- record are in the media store (avatar_media_id).
alter table users add column display_name text;
alter table users add column avatar_media_id text;
alter table users add column bio text;
alter table users add column credentials text;
alter table users add column practice text;
