package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.application.port.out.SecureRandomSource;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.SessionRepository.SessionContext;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionValidity;
import dev.authsessions.domain.User;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * MFA step-up (SPEC §3). The session gets a new HMAC key in the same transaction that raises it to
 * aal2 and its counter by 2, so no refresh token issued before the step-up, not even the current one
 * inside the reuse interval, can be exchanged for a token of the stepped-up session: its signature no
 * longer verifies. A session expired by not_after, timebox or inactivity cannot be stepped up; one
 * that is only below the user's highest AAL can, since a step-up is what cures that. Beside GoTrue the factor
 * must already be one of GoTrue's verified factors: a step-up never enrolls one there.
 */
public final class StepUpSessionService implements StepUpSessionUseCase {
    private static final String EXPIRY_PREFIX = "Invalid Refresh Token: ";

    private final SessionRepository sessions;
    private final MfaFactorRepository factors;
    private final SecureRandomSource random;
    private final Clock clock;
    private final SessionSettings settings;
    private final GrantIssuer grants;
    private final GoTrueOwnedTables ownership;

    public StepUpSessionService(
            SessionRepository sessions,
            MfaFactorRepository factors,
            AccessTokenSigner signer,
            SecureRandomSource random,
            Clock clock,
            SessionSettings settings,
            DatabaseMode mode) {
        this.sessions = sessions;
        this.factors = factors;
        this.random = random;
        this.clock = clock;
        this.settings = settings;
        this.grants = new GrantIssuer(signer, settings);
        this.ownership = new GoTrueOwnedTables(mode);
    }

    @Override
    public TokenGrant stepUp(Command command) {
        FactorType type = FactorType.ofMethod(command.method())
                .orElseThrow(() -> Rejection.validation(
                        "authentication method must be a second factor: totp, mfa/phone or mfa/webauthn"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        SessionContext before = sessions.loadForRefresh(command.sessionId())
                .orElseThrow(StepUpSessionService::sessionNotFound);
        Session session = before.session();
        User user = before.user();
        if (user.isBannedAt(now)) {
            throw Rejection.badRequest(ErrorCode.USER_BANNED, "User is banned");
        }
        SessionValidity validity = settings.sessionPolicy().check(session, user, now);
        if (!validity.isValid() && validity != SessionValidity.LOW_AAL) {
            throw Rejection.badRequest(ErrorCode.SESSION_EXPIRED, validity.message().replace(EXPIRY_PREFIX, ""));
        }
        Optional<MfaFactor> existing = factors.findById(command.factorId());
        ownership.requireVerifiedFactor(existing);
        if (existing.isPresent()) {
            checkFactorFits(existing.get(), session, type);
        }
        HmacKey newKey = HmacKey.of(random.nextBytes(HmacKey.LENGTH));
        SessionContext after = sessions.stepUp(session.id(), command.factorId(), command.method(), newKey, now)
                .orElseThrow(() -> sessions.findById(session.id()).isPresent()
                        ? factorMismatch()
                        : sessionNotFound());
        return grants.issue(after.session(), after.user(), after.claims(), now, List.of(), false);
    }

    private static void checkFactorFits(MfaFactor factor, Session session, FactorType type) {
        if (!factor.userId().equals(session.userId())) {
            throw Rejection.validation("factor_id is not a factor of the session's user");
        }
        if (factor.type() != type) {
            throw Rejection.validation("factor_id is a " + factor.type().value() + " factor, not "
                    + type.method().value());
        }
    }

    private static Rejection factorMismatch() {
        return Rejection.validation("factor_id is not a factor of the session's user of that type");
    }

    private static Rejection sessionNotFound() {
        return Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
    }
}
