-- Message lifecycle (issue 21, docs/data-model.md): delivery receipts, edits, deletion for
-- everyone, replies. Times are epoch milliseconds, UTC.
-- delivered_at: when a device of the recipient first received it (read implies delivered).
alter table chats add column delivered_at integer;
-- edited_at: when its sender last replaced its text (the previous text is not kept).
alter table chats add column edited_at integer;
-- deleted_at: when its sender deleted it for everyone (content_type 'deleted', no text, no media).
alter table chats add column deleted_at integer;
-- A reply: the quoted message of the same conversation and its sender; the quote's excerpt is
-- made from that message whenever the reply is read, so it never outlives an edit or deletion.
alter table chats add column reply_to_id text;
alter table chats add column reply_to_sender_id text;
