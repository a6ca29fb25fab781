package dev.authsessions.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Everything the catalogs say about one schema's objects, one sorted line per fact: the schema (owner,
 * grants, default privileges), tables and other relations (kind, owner, storage parameters, row-level
 * security, grants, comments), columns (type, nullability, default, identity, generation, statistics,
 * grants, comments), constraints, indexes, views, sequences, policies, triggers, rules, functions (with their
 * full definitions) and types (with enum labels). Rows are not part of it. Two fingerprints are equal when
 * nothing in the schema was created, altered or dropped in between.
 */
public final class CatalogFingerprint {
    private static final List<String> QUERIES = List.of(
            """
            SELECT 'schema ' || n.nspname || ' owner=' || pg_get_userbyid(n.nspowner)
                   || ' acl=' || coalesce(n.nspacl::text, '-') || ' comment=' || coalesce(obj_description(n.oid, 'pg_namespace'), '-')
              FROM pg_namespace n WHERE n.nspname = ?""",
            """
            SELECT 'default-acl ' || pg_get_userbyid(d.defaclrole) || ' ' || d.defaclobjtype || ' ' || d.defaclacl::text
              FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace WHERE n.nspname = ?""",
            """
            SELECT 'relation ' || c.relname || ' kind=' || c.relkind || ' owner=' || pg_get_userbyid(c.relowner)
                   || ' persistence=' || c.relpersistence || ' options=' || coalesce(c.reloptions::text, '-')
                   || ' rls=' || c.relrowsecurity || ' force-rls=' || c.relforcerowsecurity
                   || ' replica-identity=' || c.relreplident || ' acl=' || coalesce(c.relacl::text, '-')
                   || ' access-method=' || coalesce((SELECT amname FROM pg_am WHERE oid = c.relam), '-')
                   || ' tablespace=' || c.reltablespace || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '-')
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?""",
            """
            SELECT 'column ' || c.relname || '.' || a.attname || ' #' || a.attnum || ' type=' || format_type(a.atttypid, a.atttypmod)
                   || ' not-null=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
                   || ' identity=' || a.attidentity || ' generated=' || a.attgenerated || ' dropped=' || a.attisdropped
                   || ' statistics=' || coalesce(a.attstattarget::text, '-') || ' storage=' || a.attstorage
                   || ' collation=' || a.attcollation || ' options=' || coalesce(a.attoptions::text, '-')
                   || ' acl=' || coalesce(a.attacl::text, '-') || ' comment=' || coalesce(col_description(c.oid, a.attnum), '-')
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE n.nspname = ? AND a.attnum > 0""",
            """
            SELECT 'constraint ' || coalesce(c.relname, '-') || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
                   || ' deferrable=' || k.condeferrable || ' validated=' || k.convalidated
                   || ' comment=' || coalesce(obj_description(k.oid, 'pg_constraint'), '-')
              FROM pg_constraint k
              JOIN pg_namespace n ON n.oid = k.connamespace
              LEFT JOIN pg_class c ON c.oid = k.conrelid
             WHERE n.nspname = ?""",
            """
            SELECT 'index ' || i.indexrelid::regclass::text || ' ' || pg_get_indexdef(i.indexrelid)
                   || ' clustered=' || i.indisclustered || ' valid=' || i.indisvalid || ' replica-identity=' || i.indisreplident
              FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ?""",
            """
            SELECT 'view ' || c.relname || ' ' || pg_get_viewdef(c.oid)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind IN ('v', 'm')""",
            """
            SELECT 'sequence ' || c.relname || ' type=' || format_type(s.seqtypid, NULL) || ' start=' || s.seqstart
                   || ' increment=' || s.seqincrement || ' min=' || s.seqmin || ' max=' || s.seqmax
                   || ' cache=' || s.seqcache || ' cycle=' || s.seqcycle
              FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ?""",
            """
            SELECT 'policy ' || p.tablename || '.' || p.policyname || ' ' || p.permissive || ' ' || p.cmd
                   || ' roles=' || p.roles::text || ' using=' || coalesce(p.qual, '-') || ' check=' || coalesce(p.with_check, '-')
              FROM pg_policies p WHERE p.schemaname = ?""",
            """
            SELECT 'trigger ' || c.relname || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND NOT t.tgisinternal""",
            """
            SELECT 'rule ' || r.tablename || '.' || r.rulename || ' ' || r.definition
              FROM pg_rules r WHERE r.schemaname = ?""",
            """
            SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') kind=' || p.prokind
                   || ' owner=' || pg_get_userbyid(p.proowner) || ' acl=' || coalesce(p.proacl::text, '-')
                   || ' security-definer=' || p.prosecdef || ' config=' || coalesce(p.proconfig::text, '-')
                   || ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '-')
                   || ' definition=' || CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_get_functiondef(p.oid) ELSE '-' END
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?""",
            """
            SELECT 'type ' || t.typname || ' kind=' || t.typtype || ' owner=' || pg_get_userbyid(t.typowner)
                   || ' acl=' || coalesce(t.typacl::text, '-')
                   || ' labels=' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                                FROM pg_enum e WHERE e.enumtypid = t.oid), '-')
                   || ' comment=' || coalesce(obj_description(t.oid, 'pg_type'), '-')
              FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ?""");

    private CatalogFingerprint() {
    }

    /** The fingerprint of {@code schema}, sorted; empty when the schema does not exist. */
    public static List<String> of(Connection connection, String schema) throws SQLException {
        TreeSet<String> lines = new TreeSet<>();
        for (String sql : QUERIES) {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, schema);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
            }
        }
        return new ArrayList<>(lines);
    }

    /** As {@link #of(Connection, String)} on a connection of its own to {@code database}. */
    public static List<String> of(TestDatabase database, String schema) {
        try (Connection connection = database.openConnection()) {
            return of(connection, schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the catalog of " + database.name(), e);
        }
    }
}
