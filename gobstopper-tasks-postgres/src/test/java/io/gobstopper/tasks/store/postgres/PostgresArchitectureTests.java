package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import io.gobstopper.tasks.contract.StoreModuleRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PostgreSQL module builds on the core's API and SPI only. */
class PostgresArchitectureTests {

    private static JavaClasses postgres;

    @BeforeAll
    static void importModule() {
        postgres = StoreModuleRules.mainClassesOf(PostgresTaskStore.class);
    }

    @Test
    void theImportSeesTheModulesMainClassesOnly() {
        assertThat(postgres.stream().map(JavaClass::getName))
                .contains(PostgresTaskStore.class.getName())
                .doesNotContain(PostgresArchitectureTests.class.getName());
    }

    @Test
    void theStoreBuildsOnTheCoreOnly() {
        StoreModuleRules.storeBuildsOnTheCoreOnly(postgres);
    }

    @Test
    void itsClassesLiveInItsOwnPackage() {
        StoreModuleRules.classesLiveInTheModulesPackage(postgres, "io.gobstopper.tasks.store.postgres");
    }
}
