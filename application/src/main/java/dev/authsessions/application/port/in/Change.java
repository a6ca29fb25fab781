package dev.authsessions.application.port.in;

/**
 * One field of a partial update: absent (keep what is stored) or set to a value, which may be
 * null to clear it.
 */
public record Change<T>(boolean present, T value) {
    private static final Change<?> ABSENT = new Change<>(false, null);

    @SuppressWarnings("unchecked")
    public static <T> Change<T> absent() {
        return (Change<T>) ABSENT;
    }

    public static <T> Change<T> to(T value) {
        return new Change<>(true, value);
    }

    public T orElse(T current) {
        return present ? value : current;
    }
}
