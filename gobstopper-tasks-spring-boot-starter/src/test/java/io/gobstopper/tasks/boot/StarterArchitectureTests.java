package io.gobstopper.tasks.boot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import io.gobstopper.tasks.boot.autoconfigure.GobstopperTasksAutoConfiguration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The starter keeps to its own packages; only its auto-configuration assembles the engine and the stores, and the web
 * layer (REST, event stream, JSON, Actuator, metrics, dashboard) works through the public API alone.
 */
class StarterArchitectureTests {

    private static JavaClasses starter;

    @BeforeAll
    static void importStarter() {
        Location main = Location.of(GobstopperTasksAutoConfiguration.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation());
        starter = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(List.of(main));
    }

    @Test
    void theImportSeesTheStartersMainClassesOnly() {
        assertThat(starter.stream().map(JavaClass::getName))
                .contains(GobstopperTasksAutoConfiguration.class.getName())
                .doesNotContain(StarterArchitectureTests.class.getName(), "io.gobstopper.tasks.TaskQueue");
    }

    @Test
    void theStarterLivesInItsOwnPackages() {
        classes().should().resideInAPackage("io.gobstopper.tasks.boot..").check(starter);
    }

    @Test
    void theWebLayerWorksThroughThePublicApiOnly() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.gobstopper.tasks.boot.web..",
                        "io.gobstopper.tasks.boot.json..",
                        "io.gobstopper.tasks.boot.actuate..",
                        "io.gobstopper.tasks.boot.metrics..",
                        "io.gobstopper.tasks.boot.dashboard..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.gobstopper.tasks.engine..", "io.gobstopper.tasks.store..")
                .check(starter);
    }

    @Test
    void onlyTheAutoConfigurationAssemblesTheEngineAndTheStores() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.gobstopper.tasks.boot.autoconfigure..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.gobstopper.tasks.engine..", "io.gobstopper.tasks.store..")
                .check(starter);
    }
}
