-- Every refresh rewrites its session's row (counter, refreshed_at, updated_at, user_agent, ip), and none
-- of those columns is indexed. With room left on the row's page, PostgreSQL writes the new version on the
-- same page (a heap-only tuple update) and touches none of the table's five indexes; on a full page it
-- must insert the version elsewhere and add an entry to every index. A fifth of each page is kept free for
-- that. Only a storage parameter: the columns, indexes and constraints stay GoTrue's. Pages written before
-- this migration keep their layout until they are rewritten.
ALTER TABLE auth.sessions SET (fillfactor = 80);
