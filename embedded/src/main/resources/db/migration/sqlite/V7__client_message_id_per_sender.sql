-- Chat: the idempotency guard is per sender (docs/decisions/chat-idempotency-per-sender.md).
-- Clients choose clientMessageId independently, so both participants of a conversation may use
-- the same one; a replay by the same sender still finds its original. Every pair of rows unique
-- under the old index is unique under the new one, so existing data needs no change.
drop index chats_by_client_message;
create unique index chats_by_sender_client_message on chats (conversation_id, sender_id, client_message_id);
