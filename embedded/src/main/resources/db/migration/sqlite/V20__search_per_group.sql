-- Issue 24 (docs/decisions/0072-websocket-message-cpu-2.md): the search index (V15) takes the new
-- texts of a commit group at once, instead of one by one. FTS5 writes its pending terms to a new
-- index segment at every savepoint, and the writer runs each write of a group in its own savepoint:
-- a segment per message, and the merges that follow. Now a text message's insert only notes its
-- rowid and text here; the writer moves every noted text into chats_search at the end of each
-- group, before the group's commit (SqliteDatabase), so readers never see a message without its
-- index entry. The table is empty outside a write transaction.
create table chats_search_pending (
    id   integer primary key, -- the chats row's rowid, as chats_search's
    text text not null
);

drop trigger chats_search_insert;
create trigger chats_search_insert after insert on chats when new.content_type = 'text' begin
    insert into chats_search_pending (id, text) values (new.rowid, new.content_value);
end;

-- An edit or a delete for everyone of a text not yet moved (the same group) changes the note;
-- one already indexed leaves the index, as before.
drop trigger chats_search_update;
create trigger chats_search_update after update of content_type, content_value on chats begin
    delete from chats_search_pending where id = old.rowid;
    delete from chats_search where rowid = old.rowid;
    insert into chats_search_pending (id, text)
        select new.rowid, new.content_value where new.content_type = 'text' and new.content_value <> '';
end;

drop trigger chats_search_delete;
create trigger chats_search_delete after delete on chats begin
    delete from chats_search_pending where id = old.rowid;
    delete from chats_search where rowid = old.rowid;
end;
