package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OwnDataSourceTests {

    @Test
    void theStoresOwnPoolWaitsForAConnectionNoLongerThanTheUnavailableTimeout() {
        OwnDataSource own =
                new OwnDataSource("jdbc:postgresql://127.0.0.1:1/none", "tasks", null, Duration.ofMillis(1500));
        try {
            HikariDataSource pool = (HikariDataSource) own.dataSource();

            assertThat(pool.getConnectionTimeout()).isEqualTo(1500);
            assertThat(pool.getValidationTimeout()).isLessThanOrEqualTo(1500);
            assertThat(pool.getPoolName()).isEqualTo(OwnDataSource.POOL_NAME);
        } finally {
            own.close();
        }
    }
}
