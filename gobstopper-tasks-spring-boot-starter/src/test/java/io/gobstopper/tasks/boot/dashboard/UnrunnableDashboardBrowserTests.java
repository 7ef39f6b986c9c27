package io.gobstopper.tasks.boot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.boot.support.Browser;
import io.gobstopper.tasks.boot.support.EarlierVersion;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in a real browser, on a DuckDB file an earlier version of the application left tasks in whose names
 * it no longer registers: it lists them with the reason, and its fail button ends them after the confirmation.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gobstopper.tasks.enabled=true")
@DirtiesContext
class UnrunnableDashboardBrowserTests {

    private static final Duration UI_WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;

    private static Browser browser;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EarlierVersion.useIn(registry, () -> dir);
    }

    @LocalServerPort
    int port;

    @Autowired
    TaskQueue queue;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theUnrunnableTasksAreListedWithTheReasonAndTheFailButtonEndsThem() {
        browser.viewport(1280, 800, false);
        browser.consoleErrors();
        browser.driver().get("http://localhost:" + port + "/gobstopper");
        browser.waiting(UI_WAIT).until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        By legacy = By.cssSelector("#unrunnable tr[data-name='legacy_report']");
        browser.waiting(UI_WAIT).until(ExpectedConditions.visibilityOfElementLocated(legacy));

        assertThat(browser.driver().findElement(legacy).getText())
                .contains("legacy_report", "2", "no task named 'legacy_report' is registered in this application");
        assertThat(browser.driver().findElements(By.cssSelector("#unrunnable tbody tr")))
                .hasSize(2);
        browser.screenshot("unrunnable-listed");

        By fail = By.cssSelector("#unrunnable tr[data-name='legacy_report'] button[data-action='fail-unrunnable']");
        browser.waiting(UI_WAIT)
                .ignoring(StaleElementReferenceException.class)
                .ignoring(ElementNotInteractableException.class)
                .until(driver -> {
                    driver.findElement(fail).click();
                    return true;
                });
        browser.waiting(UI_WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-text")));
        assertThat(browser.driver().findElement(By.id("confirm-text")).getText())
                .contains("Fail the 2 waiting legacy_report tasks");
        browser.driver().findElement(By.id("confirm-ok")).click();

        browser.waiting(UI_WAIT).until(ExpectedConditions.invisibilityOfElementLocated(legacy));
        for (UUID id : EarlierVersion.in(dir).legacyReports) {
            assertThat(queue.get(id).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
        }
        assertThat(browser.driver().findElements(By.cssSelector("#unrunnable tbody tr")))
                .hasSize(1);
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
