package dev.authsessions.adapters.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds {@code auth.sessions.md}: the project's shared seed ({@code shared/seed/} beside the
 * repository root, or beside one of its ancestors) when it exists, and always the copy committed in
 * this module's test resources.
 */
final class SeedDocument {
    static final String COPY_RESOURCE = "/seed/auth.sessions.md";
    private static final String SHARED_PATH = "shared/seed/auth.sessions.md";

    private SeedDocument() {
    }

    static byte[] committedCopy() {
        try (InputStream in = SeedDocument.class.getResourceAsStream(COPY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(COPY_RESOURCE + " is missing from the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared seed, looked for from the repository root (found by walking up from the working directory). */
    static Optional<Path> shared() {
        Optional<Path> root = repositoryRoot(Path.of("").toAbsolutePath());
        if (root.isEmpty()) {
            return Optional.empty();
        }
        for (Path dir = root.get().getParent(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SHARED_PATH);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Optional<Path> repositoryRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("adapters-postgres/pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The text the schema is compared with: the shared seed if present, else the committed copy. */
    static String text() {
        try {
            Optional<Path> shared = shared();
            byte[] bytes = shared.isPresent() ? Files.readAllBytes(shared.get()) : committedCopy();
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
