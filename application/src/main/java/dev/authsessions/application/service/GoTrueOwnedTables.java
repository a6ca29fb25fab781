package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.MfaFactor;
import java.util.Objects;
import java.util.Optional;

/**
 * Which admin writes this process may make, by who owns the {@code auth} schema. Beside GoTrue, users (and their
 * identities), MFA factors and OAuth clients are GoTrue's: it writes them with columns, defaults and side effects
 * (audit rows, identities, encrypted secrets) auth-sessions does not reproduce, so those writes are refused before
 * anything is read or written, and the operator sends them to GoTrue's own API. Sessions stay auth-sessions'.
 */
final class GoTrueOwnedTables {
    /** What a refused write is about, each with the sentence that tells the operator where it belongs. */
    enum Table {
        USERS("users are managed by Supabase Auth (GoTrue); use its admin API (/admin/users)"),
        MFA_FACTORS("MFA factors are managed by Supabase Auth (GoTrue); use its MFA API (/factors) "
                + "or its admin API (/admin/users/{id}/factors/{factor_id})"),
        OAUTH_CLIENTS("OAuth clients are managed by Supabase Auth (GoTrue); use its admin API");

        private final String owner;

        Table(String owner) {
            this.owner = owner;
        }
    }

    private final DatabaseMode mode;

    GoTrueOwnedTables(DatabaseMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** @throws Rejection {@code managed_by_gotrue} (a conflict with how the database is run) beside GoTrue */
    void requireWritable(Table table) {
        if (mode == DatabaseMode.BESIDE_GOTRUE) {
            throw new Rejection(Rejection.Kind.CONFLICT, ErrorCode.MANAGED_BY_GOTRUE,
                    "Beside Supabase Auth, " + table.owner + "; nothing was changed");
        }
    }

    /**
     * Beside GoTrue, a step-up names a factor GoTrue enrolled and verified: registering it on the way, as standalone
     * does, would write a factor row without GoTrue's secret.
     *
     * @throws Rejection {@code managed_by_gotrue} beside GoTrue when {@code factor} is absent or not verified
     */
    void requireVerifiedFactor(Optional<MfaFactor> factor) {
        if (factor.isEmpty() || factor.get().status() != MfaFactor.Status.VERIFIED) {
            requireWritable(Table.MFA_FACTORS);
        }
    }
}
