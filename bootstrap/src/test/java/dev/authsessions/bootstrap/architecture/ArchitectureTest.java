package dev.authsessions.bootstrap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Enforces STYLE.md's module boundaries on the production classes of every module. */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Other modules arrive as jars (reactor or local repository); their test-jars are not production code.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.authsessions");
    }

    static List<Function<String, ArchRule>> allRules() {
        return List.of(
                ArchitectureRules::domainDependsOnlyOnTheJdk,
                ArchitectureRules::applicationDependsOnlyOnDomain,
                ArchitectureRules::httpAdapterDoesNotUsePostgresAdapter,
                ArchitectureRules::postgresAdapterDoesNotUseHttpAdapter,
                ArchitectureRules::adaptersUsePortsNotServices,
                ArchitectureRules::coreNeverReadsTheClock,
                ArchitectureRules::useCasesAreInterfacesNamedUseCase,
                ArchitectureRules::servicesImplementAUseCase,
                ArchitectureRules::noVagueNames);
    }

    @Test
    void everyModuleIsOnTheClasspath() {
        // The rules below would pass vacuously if a module's classes were missing.
        for (String pkg : List.of("domain", "application.port.in", "application.port.out", "application.service",
                "adapters.http", "adapters.postgres", "bootstrap")) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    production.stream().anyMatch(c -> c.getPackageName().startsWith("dev.authsessions." + pkg)),
                    "no production classes found in dev.authsessions." + pkg);
        }
    }

    @Test
    void productionCodeFollowsEveryRule() {
        for (Function<String, ArchRule> rule : allRules()) {
            rule.apply("dev.authsessions").check(production);
        }
    }
}
