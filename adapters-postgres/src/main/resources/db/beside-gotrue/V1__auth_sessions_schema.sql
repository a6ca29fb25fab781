-- auth-sessions beside Supabase Auth (GoTrue): GoTrue owns and migrates the schema "auth", and auth-sessions
-- creates, alters and drops nothing there (not even a storage parameter: the standalone migration V2's
-- fillfactor is not applied). What is auth-sessions' own lives in the schema "auth_sessions", which Flyway
-- creates with its history table (auth_sessions.flyway_schema_history). It needs nothing else yet; this
-- first version only records that auth-sessions has run here.
SELECT 1;
