-- pgbench script: the two statements of one refresh-token rotation as the service sends them
-- (JdbiSessionRepository LOAD_FOR_REFRESH, then COMPARE_AND_SET_COUNTER; BenchStatementsTest keeps them in step), on a
-- random seeded session, each in its own autocommit transaction. Its tps is the database's ceiling for
-- refreshes with no service in front: what the service could reach if its own work were free.
-- bench/run.sh substitutes __N__ with the number of seeded sessions.
\set i random(1, __N__)
SELECT s.id, s.user_id, s.created_at, s.updated_at, s.factor_id, s.aal::text AS aal, s.not_after, s.refreshed_at,
       s.user_agent, host(s.ip) AS ip, s.tag, s.oauth_client_id, s.refresh_token_hmac_key, s.refresh_token_counter,
       s.scopes, u.id AS u_id, u.aud AS u_aud, u.role AS u_role, u.email AS u_email, u.phone AS u_phone,
       u.raw_app_meta_data::text AS u_app_metadata, u.raw_user_meta_data::text AS u_user_metadata,
       u.is_anonymous AS u_is_anonymous, u.banned_until AS u_banned_until, u.created_at AS u_created_at,
       u.updated_at AS u_updated_at,
       EXISTS (SELECT 1 FROM auth.mfa_factors f WHERE f.user_id = u.id AND f.status = 'verified') AS u_has_verified_factor,
       (SELECT json_agg(json_build_object('method', c.authentication_method,
                                          'at', (extract(epoch FROM c.updated_at) * 1000000)::bigint))
          FROM auth.mfa_amr_claims c WHERE c.session_id = s.id) AS claims
  FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id
 WHERE s.id = md5('s' || :i)::uuid AND u.deleted_at IS NULL;
UPDATE auth.sessions
   SET refresh_token_counter = refresh_token_counter + 1, refreshed_at = now() AT TIME ZONE 'UTC', updated_at = now(),
       user_agent = 'bench', ip = CAST('127.0.0.1' AS inet)
 WHERE id = md5('s' || :i)::uuid
RETURNING id, user_id, created_at, updated_at, factor_id, aal::text AS aal, not_after, refreshed_at, user_agent,
          host(ip) AS ip, tag, oauth_client_id, refresh_token_hmac_key, refresh_token_counter, scopes;
