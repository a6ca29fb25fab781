package dev.authsessions.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * The dependency table of STYLE.md as ArchUnit rules, parameterised by the base package so the
 * same rule can be run against the real code and against deliberately broken fixtures.
 */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    static ArchRule domainDependsOnlyOnTheJdk(String base) {
        return classes().that().resideInAPackage(base + ".domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(base + ".domain..", "java..", "javax.crypto..")
                .because("the domain is pure: the JDK only");
    }

    static ArchRule applicationDependsOnlyOnDomain(String base) {
        return classes().that().resideInAPackage(base + ".application..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(base + ".application..", base + ".domain..", "java..", "javax.crypto..")
                .because("application services orchestrate the domain through ports, nothing else");
    }

    static ArchRule httpAdapterDoesNotUsePostgresAdapter(String base) {
        return noClasses().that().resideInAPackage(base + ".adapters.http..")
                .should().dependOnClassesThat().resideInAPackage(base + ".adapters.postgres..")
                .because("adapters never import each other");
    }

    static ArchRule postgresAdapterDoesNotUseHttpAdapter(String base) {
        return noClasses().that().resideInAPackage(base + ".adapters.postgres..")
                .should().dependOnClassesThat().resideInAPackage(base + ".adapters.http..")
                .because("adapters never import each other");
    }

    static ArchRule adaptersUsePortsNotServices(String base) {
        return noClasses().that().resideInAPackage(base + ".adapters..")
                .should().dependOnClassesThat().resideInAPackage(base + ".application.service..")
                .because("adapters talk to use-case interfaces and implement outbound ports");
    }

    static ArchRule coreNeverReadsTheClock(String base) {
        return noClasses().that().resideInAnyPackage(base + ".domain..", base + ".application..")
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(LocalDate.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .because("services take a Clock and pass `now` down");
    }

    static ArchRule useCasesAreInterfacesNamedUseCase(String base) {
        return classes().that().resideInAPackage(base + ".application.port.in")
                .and().areInterfaces().and().areTopLevelClasses()
                .should().haveSimpleNameEndingWith("UseCase")
                .because("one use-case interface per action");
    }

    static ArchRule servicesImplementAUseCase(String base) {
        return classes().that().resideInAPackage(base + ".application.service")
                .and().haveSimpleNameEndingWith("Service")
                .should().implement(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "a use case of port.in",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().equals(base + ".application.port.in")
                                && c.getSimpleName().endsWith("UseCase")))
                .because("one service per use case");
    }

    static ArchRule noVagueNames(String base) {
        return noClasses().that().resideInAPackage(base + "..")
                .should().haveSimpleNameEndingWith("Impl")
                .orShould().haveSimpleNameEndingWith("Manager")
                .orShould().haveSimpleNameEndingWith("Helper")
                .orShould().haveSimpleNameEndingWith("Utils")
                .because("names say what a thing is for");
    }
}
