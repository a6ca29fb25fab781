package dev.authsessions.adapters.postgres;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.postgresql.Driver;

/**
 * A PostgreSQL location given as {@code postgres://user:pass@host:port/db?sslmode=...} (also
 * {@code postgresql://}, user and password percent-decoded) or as a {@code jdbc:postgresql:} URL.
 * The credentials are kept apart: {@link #jdbcUrl()} never contains them, and neither does any
 * error message or {@link #toString()}.
 */
public final class DatabaseUrl {
    private static final int DEFAULT_PORT = 5432;

    private final List<String> hosts;
    private final List<Integer> ports;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> parameters;

    private DatabaseUrl(List<String> hosts, List<Integer> ports, String database, String user, String password,
            Map<String, String> parameters) {
        this.hosts = List.copyOf(hosts);
        this.ports = List.copyOf(ports);
        this.database = database;
        this.user = user;
        this.password = password;
        this.parameters = Map.copyOf(parameters);
    }

    public static DatabaseUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the database URL is empty");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("postgres://")) {
            return parseUri(trimmed.substring("postgres://".length()));
        }
        if (trimmed.startsWith("postgresql://")) {
            return parseUri(trimmed.substring("postgresql://".length()));
        }
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return parseJdbc(trimmed);
        }
        int colon = trimmed.indexOf(':');
        String scheme = colon > 0 && colon <= 20 ? trimmed.substring(0, colon) : "(none)";
        throw new IllegalArgumentException("the database URL must start with postgres://, postgresql:// or "
                + "jdbc:postgresql: (its scheme is " + scheme.replaceAll("[^A-Za-z0-9+.-]", "?") + ")");
    }

    private static DatabaseUrl parseUri(String rest) {
        String query = "";
        int questionMark = rest.indexOf('?');
        if (questionMark >= 0) {
            query = rest.substring(questionMark + 1);
            rest = rest.substring(0, questionMark);
        }
        int slash = rest.indexOf('/', rest.lastIndexOf('@') + 1);
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash + 1) : "";
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = percentDecode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "user name");
            password = colon >= 0 ? percentDecode(userInfo.substring(colon + 1), "password") : null;
            if (user.isEmpty()) {
                user = null;
            }
        }
        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (String hostPort : authority.split(",", -1)) {
            parseHostPort(hostPort, hosts, ports);
        }
        String database = percentDecode(path, "database name");
        if (database.isEmpty()) {
            database = user != null ? user : "postgres";
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = percentDecode(eq >= 0 ? pair.substring(0, eq) : pair, "query parameter");
                String value = eq >= 0 ? percentDecode(pair.substring(eq + 1), "query parameter") : "";
                if (key.equals("user") || key.equals("password")) {
                    throw new IllegalArgumentException(
                            "the database URL must carry its user and password before the host, not as parameters");
                }
                parameters.put(jdbcParameterName(key), value);
            }
        }
        return new DatabaseUrl(hosts, ports, database, user, password, parameters);
    }

    private static void parseHostPort(String hostPort, List<String> hosts, List<Integer> ports) {
        String host;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("the database URL has an unclosed [ in its host");
            }
            host = hostPort.substring(0, close + 1);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("the database URL has an invalid host");
                }
                port = after.substring(1);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
            port = colon >= 0 ? hostPort.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the database URL has no host");
        }
        if (!host.matches("[A-Za-z0-9._\\-\\[\\]:%]+")) {
            throw new IllegalArgumentException("the database URL has an invalid host name");
        }
        hosts.add(host);
        ports.add(port == null || port.isEmpty() ? DEFAULT_PORT : parsePort(port));
    }

    private static int parsePort(String text) {
        if (!text.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("the database URL's port is not a number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the database URL's port is not between 1 and 65535");
        }
        return port;
    }

    /** libpq spells a few parameters differently from the JDBC driver. */
    private static String jdbcParameterName(String libpqName) {
        return switch (libpqName) {
            case "application_name" -> "ApplicationName";
            case "connect_timeout" -> "connectTimeout";
            case "target_session_attrs" -> "targetServerType";
            default -> libpqName;
        };
    }

    private static DatabaseUrl parseJdbc(String url) {
        Properties properties = Driver.parseURL(url, new Properties());
        if (properties == null) {
            throw new IllegalArgumentException("the database URL is not a valid jdbc:postgresql: URL");
        }
        String[] hostList = properties.getProperty("PGHOST", "localhost").split(",");
        String[] portList = properties.getProperty("PGPORT", String.valueOf(DEFAULT_PORT)).split(",");
        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < hostList.length; i++) {
            hosts.add(hostList[i]);
            ports.add(i < portList.length && !portList[i].isEmpty() ? parsePort(portList[i]) : DEFAULT_PORT);
        }
        String database = properties.getProperty("PGDBNAME", "");
        String user = properties.getProperty("user");
        String password = properties.getProperty("password");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!List.of("PGHOST", "PGPORT", "PGDBNAME", "user", "password").contains(name)) {
                parameters.put(name, properties.getProperty(name));
            }
        }
        if (database.isEmpty()) {
            database = user != null ? user : "postgres";
        }
        return new DatabaseUrl(hosts, ports, database, user, password, parameters);
    }

    private static String percentDecode(String text, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("the database URL's " + what + " has a bad percent escape");
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("the database URL's " + what + " has a bad percent escape");
                }
                out.write(high * 16 + low);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    bytes = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(bytes);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The JDBC URL without user and password. */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                url.append(',');
            }
            url.append(hosts.get(i)).append(':').append(ports.get(i));
        }
        url.append('/').append(encode(database));
        char separator = '?';
        for (Map.Entry<String, String> parameter : new TreeMap<>(parameters).entrySet()) {
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The same server and credentials, another database. */
    public DatabaseUrl withDatabase(String otherDatabase) {
        Objects.requireNonNull(otherDatabase, "database");
        return new DatabaseUrl(hosts, ports, otherDatabase, user, password, parameters);
    }

    /** The first host, as written (an IPv6 address keeps its brackets). */
    public String host() {
        return hosts.get(0);
    }

    public int port() {
        return ports.get(0);
    }

    public String database() {
        return database;
    }

    /** The user name, or null to let the driver choose. */
    public String user() {
        return user;
    }

    /** The password, or null. Never log it. */
    public String password() {
        return password;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
