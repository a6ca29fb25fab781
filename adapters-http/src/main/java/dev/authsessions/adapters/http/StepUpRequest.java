package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.SessionId;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The body of {@code POST /admin/sessions/{id}/mfa}: the factor the user just verified, and its method. */
record StepUpRequest(FactorId factorId, AuthenticationMethod method) {

    private static final String SECOND_FACTORS = Arrays.stream(AuthenticationMethod.values())
            .filter(AuthenticationMethod::isSecondFactor)
            .map(AuthenticationMethod::value)
            .collect(Collectors.joining(", "));

    static StepUpRequest from(JsonFields fields) {
        JsonFields body = fields.only("factor_id", "method");
        FactorId factorId = body.requiredUuid("factor_id", FactorId::parse);
        AuthenticationMethod method = body.oneOf("method", StepUpRequest::secondFactor, SECOND_FACTORS)
                .orElseThrow(() -> Rejection.validation("method is required"));
        return new StepUpRequest(factorId, method);
    }

    private static Optional<AuthenticationMethod> secondFactor(String value) {
        return AuthenticationMethod.fromValue(value).filter(AuthenticationMethod::isSecondFactor);
    }

    StepUpSessionUseCase.Command toCommand(SessionId sessionId) {
        return new StepUpSessionUseCase.Command(sessionId, factorId, method);
    }
}
