package dev.authsessions.application.port.out;

/** Cryptographically strong random bytes. */
public interface SecureRandomSource {

    byte[] nextBytes(int count);
}
