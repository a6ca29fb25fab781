package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.UserId;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The body of {@code PUT /admin/users/{id}/factors/{factor_id}}: which kind of factor it is. */
record RegisterFactorRequest(FactorType type) {

    private static final String TYPES = Arrays.stream(FactorType.values()).map(FactorType::value).collect(Collectors.joining(", "));

    static RegisterFactorRequest from(JsonFields fields) {
        JsonFields body = fields.only("factor_type");
        return new RegisterFactorRequest(body.oneOf("factor_type", FactorType::fromValue, TYPES)
                .orElseThrow(() -> Rejection.validation("factor_type is required")));
    }

    RegisterFactorUseCase.Command toCommand(UserId userId, FactorId factorId) {
        return new RegisterFactorUseCase.Command(userId, factorId, type);
    }
}
