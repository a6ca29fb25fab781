package dev.authsessions.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a table looks like, as far as the seed document says: its comment, its columns (in order,
 * with type, default, nullability and comment), its constraints and its indexes. Read either from
 * a tbls-style markdown document or from a live catalog, then compared.
 */
record TableShape(String comment, List<Column> columns, Map<String, Constraint> constraints, Map<String, String> indexes) {

    record Column(String name, String type, String defaultValue, boolean nullable, String comment) {
    }

    record Constraint(String type, String definition) {
    }

    /** Parses the Description section and the Columns, Constraints and Indexes tables. */
    static TableShape fromMarkdown(String markdown) {
        Map<String, List<String>> sections = sections(markdown);
        String description = String.join(" ", sections.getOrDefault("Description", List.of()).stream()
                .map(String::strip).filter(line -> !line.isEmpty()).toList());
        List<Column> columns = new ArrayList<>();
        for (Map<String, String> row : table(sections, "Columns")) {
            columns.add(new Column(row.get("Name"), row.get("Type"), emptyToNull(row.get("Default")),
                    parseNullable(row.get("Nullable"), row.get("Name")), emptyToNull(row.get("Comment"))));
        }
        Map<String, Constraint> constraints = new LinkedHashMap<>();
        for (Map<String, String> row : table(sections, "Constraints")) {
            constraints.put(row.get("Name"), new Constraint(row.get("Type"), row.get("Definition")));
        }
        Map<String, String> indexes = new LinkedHashMap<>();
        for (Map<String, String> row : table(sections, "Indexes")) {
            indexes.put(row.get("Name"), row.get("Definition"));
        }
        return new TableShape(emptyToNull(description), columns, constraints, indexes);
    }

    private static boolean parseNullable(String text, String column) {
        if (!"true".equals(text) && !"false".equals(text)) {
            throw new IllegalArgumentException("column " + column + " has Nullable '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private static Map<String, List<String>> sections(String markdown) {
        Map<String, List<String>> sections = new HashMap<>();
        List<String> current = null;
        for (String line : markdown.split("\r?\n")) {
            if (line.startsWith("## ")) {
                current = new ArrayList<>();
                sections.put(line.substring(3).strip(), current);
            } else if (line.startsWith("#")) {
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    /** The rows of the first pipe table in a section, keyed by header. */
    private static List<Map<String, String>> table(Map<String, List<String>> sections, String section) {
        List<String> lines = sections.get(section);
        if (lines == null) {
            throw new IllegalArgumentException("the document has no section '" + section + "'");
        }
        List<String> header = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("|")) {
                if (header != null) {
                    break;
                }
                continue;
            }
            List<String> cells = cells(trimmed);
            if (header == null) {
                header = cells;
            } else if (cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                continue;
            } else {
                if (cells.size() != header.size()) {
                    throw new IllegalArgumentException("a row of '" + section + "' has " + cells.size()
                            + " cells, the header " + header.size());
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), cells.get(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.replace("\\|", "|").replace("<br>", "\n").strip());
        }
        return cells;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /**
     * Reads the table from the catalog through {@code connection}, with a search path of only
     * {@code pg_catalog} so that every name in a definition comes schema-qualified. NOT NULL
     * constraints (catalogued since PostgreSQL 18) are left to the columns' nullability.
     */
    static TableShape fromCatalog(Connection connection, String schema, String table) throws SQLException {
        String qualified = schema + "." + table;
        String previousPath;
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SHOW search_path")) {
                rs.next();
                previousPath = rs.getString(1);
            }
            statement.execute("SET search_path TO pg_catalog");
        }
        try {
            List<Column> columns = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT column_name, data_type, udt_schema, udt_name, character_maximum_length, is_nullable,
                           column_default, col_description(CAST(? AS regclass), ordinal_position) AS comment
                      FROM information_schema.columns
                     WHERE table_schema = ? AND table_name = ?
                     ORDER BY ordinal_position
                    """)) {
                statement.setString(1, qualified);
                statement.setString(2, schema);
                statement.setString(3, table);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString("data_type");
                        if (type.equals("USER-DEFINED")) {
                            type = rs.getString("udt_schema") + "." + rs.getString("udt_name");
                        } else if (rs.getObject("character_maximum_length") != null) {
                            type = type + "(" + rs.getInt("character_maximum_length") + ")";
                        }
                        columns.add(new Column(rs.getString("column_name"), type, rs.getString("column_default"),
                                rs.getString("is_nullable").equals("YES"), rs.getString("comment")));
                    }
                }
            }
            Map<String, Constraint> constraints = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT conname, contype::text AS contype, pg_get_constraintdef(oid) AS definition
                      FROM pg_constraint
                     WHERE conrelid = CAST(? AS regclass) AND contype <> 'n'
                     ORDER BY conname
                    """)) {
                statement.setString(1, qualified);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        constraints.put(rs.getString("conname"),
                                new Constraint(constraintType(rs.getString("contype")), rs.getString("definition")));
                    }
                }
            }
            Map<String, String> indexes = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = ? AND tablename = ? ORDER BY indexname")) {
                statement.setString(1, schema);
                statement.setString(2, table);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        indexes.put(rs.getString("indexname"), rs.getString("indexdef"));
                    }
                }
            }
            String comment;
            try (PreparedStatement statement =
                         connection.prepareStatement("SELECT obj_description(CAST(? AS regclass), 'pg_class')")) {
                statement.setString(1, qualified);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    comment = rs.getString(1);
                }
            }
            return new TableShape(comment, columns, constraints, indexes);
        } finally {
            try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                statement.setString(1, previousPath);
                statement.execute();
            }
        }
    }

    private static String constraintType(String contype) {
        return switch (contype) {
            case "p" -> "PRIMARY KEY";
            case "f" -> "FOREIGN KEY";
            case "u" -> "UNIQUE";
            case "c" -> "CHECK";
            case "x" -> "EXCLUSION";
            case "t" -> "TRIGGER";
            default -> "contype " + contype;
        };
    }

    /** Every way {@code actual} differs from {@code expected}, one line each; empty when they match. */
    static List<String> differences(TableShape expected, TableShape actual) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(expected.comment(), actual.comment())) {
            out.add("table comment: expected '" + expected.comment() + "', found '" + actual.comment() + "'");
        }
        Map<String, Column> actualColumns = new LinkedHashMap<>();
        actual.columns().forEach(c -> actualColumns.put(c.name(), c));
        Map<String, Column> expectedColumns = new LinkedHashMap<>();
        expected.columns().forEach(c -> expectedColumns.put(c.name(), c));
        for (Column e : expected.columns()) {
            Column a = actualColumns.get(e.name());
            if (a == null) {
                out.add("missing column " + e.name());
                continue;
            }
            if (!e.type().equals(a.type())) {
                out.add("column " + e.name() + " type: expected " + e.type() + ", found " + a.type());
            }
            if (e.nullable() != a.nullable()) {
                out.add("column " + e.name() + " nullable: expected " + e.nullable() + ", found " + a.nullable());
            }
            if (!Objects.equals(e.defaultValue(), a.defaultValue())) {
                out.add("column " + e.name() + " default: expected " + e.defaultValue() + ", found " + a.defaultValue());
            }
            if (!Objects.equals(e.comment(), a.comment())) {
                out.add("column " + e.name() + " comment: expected '" + e.comment() + "', found '" + a.comment() + "'");
            }
        }
        for (Column a : actual.columns()) {
            if (!expectedColumns.containsKey(a.name())) {
                out.add("extra column " + a.name());
            }
        }
        List<String> expectedOrder = expected.columns().stream().map(Column::name)
                .filter(actualColumns::containsKey).toList();
        List<String> actualOrder = actual.columns().stream().map(Column::name)
                .filter(expectedColumns::containsKey).toList();
        if (!expectedOrder.equals(actualOrder)) {
            out.add("column order: expected " + expectedOrder + ", found " + actualOrder);
        }
        compareNamed("constraint", expected.constraints(), actual.constraints(), out);
        compareNamed("index", expected.indexes(), actual.indexes(), out);
        return out;
    }

    private static <V> void compareNamed(String what, Map<String, V> expected, Map<String, V> actual, List<String> out) {
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        for (String name : names) {
            V e = expected.get(name);
            V a = actual.get(name);
            if (a == null) {
                out.add("missing " + what + " " + name);
            } else if (e == null) {
                out.add("extra " + what + " " + name + ": " + a);
            } else if (!e.equals(a)) {
                out.add(what + " " + name + ": expected " + e + ", found " + a);
            }
        }
    }
}
