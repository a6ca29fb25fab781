package dev.authsessions.bootstrap.architecture;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;

/**
 * Proves no architecture rule is vacuous: each one fails on the deliberately broken fixture
 * packages and passes on the well-formed ones.
 */
class ArchitectureRulesCanFailTest {
    private static final String BAD = "dev.authsessions.bootstrap.architecture.fixture.bad";
    private static final String GOOD = "dev.authsessions.bootstrap.architecture.fixture.good";

    private static final JavaClasses BAD_CLASSES = new ClassFileImporter().importPackages(BAD);
    private static final JavaClasses GOOD_CLASSES = new ClassFileImporter().importPackages(GOOD);

    @TestFactory
    Stream<DynamicTest> everyRuleFailsOnABrokenFixture() {
        return ArchitectureTest.allRules().stream().map(rule -> {
            ArchRule bad = rule.apply(BAD);
            return DynamicTest.dynamicTest(bad.getDescription(),
                    () -> assertThrows(AssertionError.class, () -> bad.check(BAD_CLASSES)));
        });
    }

    @TestFactory
    Stream<DynamicTest> everyRulePassesOnAWellFormedFixture() {
        return ArchitectureTest.allRules().stream().map((Function<String, ArchRule> rule) -> {
            ArchRule good = rule.apply(GOOD);
            return DynamicTest.dynamicTest(good.getDescription(), () -> assertDoesNotThrow(() -> good.check(GOOD_CLASSES)));
        });
    }
}
