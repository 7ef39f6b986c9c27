package io.gobstopper.tasks.contract;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.List;

/**
 * The architecture rules every store module keeps: its classes build on the core's public API and store SPI only (never
 * on the engine or the starter), and live in the module's own package.
 */
public final class StoreModuleRules {

    private StoreModuleRules() {}

    /** The main classes of the module that holds {@code anyClass}, from its own folder (or jar) only. */
    public static JavaClasses mainClassesOf(Class<?> anyClass) {
        Location main =
                Location.of(anyClass.getProtectionDomain().getCodeSource().getLocation());
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(List.of(main));
    }

    /** A store's classes depend on neither the engine nor the starter: on the core's API and SPI only. */
    public static void storeBuildsOnTheCoreOnly(JavaClasses module) {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.gobstopper.tasks.engine..", "io.gobstopper.tasks.boot..")
                .check(module);
    }

    /**
     * A store module's classes live in its own package, but for deprecated aliases under their old names in the
     * SPI's package.
     */
    public static void classesLiveInTheModulesPackage(JavaClasses module, String ownPackage) {
        classes()
                .that()
                .areNotAnnotatedWith(Deprecated.class)
                .should()
                .resideInAPackage(ownPackage + "..")
                .check(module);
    }
}
