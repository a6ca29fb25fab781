package dev.authsessions.domain;

import java.util.Optional;

/** Authenticator assurance level, the {@code auth.aal_level} enum. */
public enum Aal {
    AAL1("aal1"),
    AAL2("aal2"),
    AAL3("aal3");

    private final String value;

    Aal(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public boolean isBelow(Aal other) {
        return compareTo(other) < 0;
    }

    public static Optional<Aal> fromValue(String value) {
        for (Aal aal : values()) {
            if (aal.value.equals(value)) {
                return Optional.of(aal);
            }
        }
        return Optional.empty();
    }
}
