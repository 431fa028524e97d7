-- Issue 21: a photo's or video's caption, and whether a video message's media has a poster frame
-- (null: a photo, or a video sent before posters existed).
alter table chats add column content_caption text;
alter table chats add column media_poster integer;
