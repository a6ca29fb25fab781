package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.SessionEvents;
import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.SessionValidity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records every refresh event as one short line ({@code rotated}, {@code reuse-allowed fail-to-save}...), in order. */
public final class RecordingSessionEvents implements SessionEvents {
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void rotated() {
        events.add("rotated");
    }

    @Override
    public void reuseAllowed(List<ReuseCause> causes) {
        events.add("reuse-allowed " + causes.stream().map(ReuseCause::value).collect(Collectors.joining(",")));
    }

    @Override
    public void reuseRejected(boolean sessionEnded) {
        events.add("reuse-rejected " + (sessionEnded ? "session-ended" : "session-kept"));
    }

    @Override
    public void expired(SessionValidity reason) {
        events.add("expired " + reason.name());
    }

    @Override
    public void revokedByNewerLogin() {
        events.add("revoked-by-newer-login");
    }

    @Override
    public void cleanedUp(int pastNotAfter, int pastTimebox, int inactive) {
        events.add("cleaned-up " + pastNotAfter + "," + pastTimebox + "," + inactive);
    }

    public List<String> events() {
        return List.copyOf(events);
    }

    public void clear() {
        events.clear();
    }
}
