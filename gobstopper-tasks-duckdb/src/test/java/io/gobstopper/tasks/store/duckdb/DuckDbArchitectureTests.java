package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import io.gobstopper.tasks.contract.StoreModuleRules;
import io.gobstopper.tasks.store.jdbc.TaskQueries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DuckDB module, and the JDBC module it shares with PostgreSQL, build on the core's API and SPI only. */
class DuckDbArchitectureTests {

    private static JavaClasses duckdb;
    private static JavaClasses jdbc;

    @BeforeAll
    static void importModules() {
        duckdb = StoreModuleRules.mainClassesOf(DuckDbTaskStore.class);
        jdbc = StoreModuleRules.mainClassesOf(TaskQueries.class);
    }

    @Test
    void theImportSeesTheModulesMainClassesOnly() {
        assertThat(duckdb.stream().map(JavaClass::getName))
                .contains(DuckDbTaskStore.class.getName())
                .doesNotContain(TaskQueries.class.getName(), DuckDbArchitectureTests.class.getName());
        assertThat(jdbc.stream().map(JavaClass::getName))
                .contains(TaskQueries.class.getName())
                .doesNotContain(DuckDbTaskStore.class.getName());
    }

    @Test
    void theStoresBuildOnTheCoreOnly() {
        StoreModuleRules.storeBuildsOnTheCoreOnly(duckdb);
        StoreModuleRules.storeBuildsOnTheCoreOnly(jdbc);
    }

    @Test
    void theirClassesLiveInTheirOwnPackages() {
        StoreModuleRules.classesLiveInTheModulesPackage(duckdb, "io.gobstopper.tasks.store.duckdb");
        StoreModuleRules.classesLiveInTheModulesPackage(jdbc, "io.gobstopper.tasks.store.jdbc");
    }
}
