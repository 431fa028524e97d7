-- Search (issue 21, docs/data-model.md "Search"): a full-text index of the text of text messages.
-- Contentless (it keeps no copy of the text, only the index) with deletes by rowid, so that
-- removing a row never needs the text it was indexed with. Its rowid is the chats row's rowid.
-- Words as core's SearchQuery splits and folds them: unicode61, diacritics removed, case folded.
create virtual table chats_search using fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Kept in step with chats by triggers, whatever writes the text: a send or an import (insert),
-- an edit, a delete for everyone or an account deletion's tombstone (update of the text or its
-- type), retention (delete). Only text messages are indexed; a message that stops being text
-- (or whose text is cleared) leaves the index.
create trigger chats_search_insert after insert on chats when new.content_type = 'text' begin
    insert into chats_search (rowid, text) values (new.rowid, new.content_value);
end;

create trigger chats_search_update after update of content_type, content_value on chats begin
    delete from chats_search where rowid = old.rowid;
    insert into chats_search (rowid, text)
        select new.rowid, new.content_value where new.content_type = 'text' and new.content_value <> '';
end;

create trigger chats_search_delete after delete on chats begin
    delete from chats_search where rowid = old.rowid;
end;

-- The messages stored before this migration.
insert into chats_search (rowid, text) select rowid, content_value from chats where content_type = 'text';
