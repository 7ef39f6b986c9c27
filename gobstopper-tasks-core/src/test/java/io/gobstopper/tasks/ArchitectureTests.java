package io.gobstopper.tasks;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core stays free of Spring (but for the cron reader) and of JDBC, depends on no store module, its store SPI does
 * not lean on the engine, and the public API leans on neither.
 */
class ArchitectureTests {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        // only the main classes' own folder (or jar): scanning the whole class path for the package is slow
        Location main = Location.of(
                TaskQueue.class.getProtectionDomain().getCodeSource().getLocation());
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(List.of(main));
    }

    @Test
    void theImportSeesTheMainClassesOnly() {
        assertThat(core.stream().map(JavaClass::getName))
                .contains(
                        TaskQueue.class.getName(),
                        "io.gobstopper.tasks.engine.TaskEngine",
                        "io.gobstopper.tasks.store.TaskStore")
                .doesNotContain(ArchitectureTests.class.getName());
    }

    @Test
    void onlyTheCronReaderUsesSpring() {
        noClasses()
                .that()
                .resideInAPackage("io.gobstopper.tasks..")
                .and()
                .resideOutsideOfPackage("io.gobstopper.tasks.schedule..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .check(core);
    }

    @Test
    void theCoreUsesNoJdbcAndNoStoreModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "javax.sql..",
                        "io.gobstopper.tasks.store.jdbc..",
                        "io.gobstopper.tasks.store.duckdb..",
                        "io.gobstopper.tasks.store.postgres..")
                .check(core);
    }

    @Test
    void theStoreSpiDoesNotLeanOnTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("io.gobstopper.tasks.store..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.gobstopper.tasks.engine..")
                .check(core);
    }

    @Test
    void theCronReaderUsesOnlySpringsCronExpression() {
        noClasses()
                .that()
                .resideInAPackage("io.gobstopper.tasks.schedule..")
                .should()
                .dependOnClassesThat(resideInAPackage("org.springframework..")
                        .and(not(resideInAnyPackage("org.springframework.scheduling.support.."))))
                .check(core);
    }

    @Test
    void thePublicApiDoesNotDependOnTheEngineOrTheStore() {
        noClasses()
                .that()
                .resideInAPackage("io.gobstopper.tasks")
                .and()
                .haveNameNotMatching("io\\.gobstopper\\.tasks\\.GobstopperTasks.*") // the builder assembles them
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.gobstopper.tasks.engine..", "io.gobstopper.tasks.store..")
                .check(core);
    }
}
