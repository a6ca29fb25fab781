package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @Test
    void aPostgresUrlIsSplitIntoJdbcUrlAndCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://auth:s3cr%40t%3Aw0rd@db.example.com:6543/sessions?sslmode=require");
        assertEquals("jdbc:postgresql://db.example.com:6543/sessions?sslmode=require", url.jdbcUrl());
        assertEquals("auth", url.user());
        assertEquals("s3cr@t:w0rd", url.password());
        assertEquals("db.example.com", url.host());
        assertEquals(6543, url.port());
        assertEquals("sessions", url.database());
    }

    @Test
    void thePostgresqlSchemeDefaultPortAndDefaultDatabase() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://alice@localhost");
        assertEquals("jdbc:postgresql://localhost:5432/alice", url.jdbcUrl());
        assertEquals("alice", url.user());
        assertNull(url.password());
    }

    @Test
    void userAndPasswordArePercentDecodedButPlusStaysPlus() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://j%C3%B8rgen:a+b%2Fc%25@h/db");
        assertEquals("jørgen", url.user());
        assertEquals("a+b/c%", url.password());
    }

    @Test
    void aPasswordMayContainAnAtSign() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@ss@h:5433/db");
        assertEquals("p@ss", url.password());
        assertEquals("h", url.host());
        assertEquals(5433, url.port());
    }

    @Test
    void ipv6HostsAndSeveralHosts() {
        assertEquals("jdbc:postgresql://[::1]:5433/db", DatabaseUrl.parse("postgres://u@[::1]:5433/db").jdbcUrl());
        assertEquals("jdbc:postgresql://a:5432,b:6000/db", DatabaseUrl.parse("postgres://u@a,b:6000/db").jdbcUrl());
    }

    @Test
    void libpqParameterNamesAreTranslated() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u@h/db?application_name=auth%20sessions&connect_timeout=3");
        assertEquals("jdbc:postgresql://h:5432/db?ApplicationName=auth%20sessions&connectTimeout=3", url.jdbcUrl());
    }

    @Test
    void aJdbcUrlKeepsItsParametersButNotItsCredentials() {
        DatabaseUrl url = DatabaseUrl.parse(
                "jdbc:postgresql://db.internal:5433/auth?user=svc&password=hunter2&sslmode=verify-full");
        assertEquals("svc", url.user());
        assertEquals("hunter2", url.password());
        assertEquals("jdbc:postgresql://db.internal:5433/auth?sslmode=verify-full", url.jdbcUrl());
        assertFalse(url.toString().contains("hunter2"), url.toString());
    }

    @Test
    void aShortJdbcUrlMeansLocalhost() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql:auth");
        assertEquals("jdbc:postgresql://localhost:5432/auth", url.jdbcUrl());
        assertNull(url.user());
    }

    @Test
    void withDatabaseChangesOnlyTheDatabase() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h:7/a?sslmode=disable").withDatabase("b");
        assertEquals("jdbc:postgresql://h:7/b?sslmode=disable", url.jdbcUrl());
        assertEquals("p", url.password());
    }

    @Test
    void toStringNeverShowsThePassword() {
        String text = DatabaseUrl.parse("postgres://u:topsecret@h/db").toString();
        assertFalse(text.contains("topsecret"), text);
        assertTrue(text.contains("***"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mysql://u:topsecret@h/db",
        "topsecret",
        "http://u:topsecret@h/db",
        "postgres://u:topsecret@h:notaport/db",
        "postgres://u:topsecret@h:70000/db",
        "postgres://u:topsecret@/db",
        "postgres://u:top%zzsecret@h/db",
        "postgres://u:topsecret%4@h/db",
        "postgres://u:topsecret@[::1/db",
        "postgres://u:topsecret@h/db?password=topsecret",
        "postgres://u:topsecret@h w/db",
        "jdbc:postgresql://h:notaport/db?password=topsecret",
        "jdbc:mysql://h/db?password=topsecret",
        "  ",
    })
    void anythingElseIsRefusedWithoutEchoingThePassword(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(text));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertTrue(e.getMessage().startsWith("the database URL"), e.getMessage());
    }

    @Test
    void settingsCheckTheUrlAndThePoolSize() {
        assertThrows(IllegalArgumentException.class,
                () -> new PostgresSettings(Optional.of("mysql://x"), Path.of("."), 10));
        assertThrows(IllegalArgumentException.class, () -> new PostgresSettings(Optional.empty(), Path.of("."), 0));
        assertEquals(3, new PostgresSettings(Optional.of("postgres://u@h/db"), Path.of("."), 3).poolSize());
    }
}
