package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import io.incidentstream.testkit.TestTokens;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}),
 * against a running application with auth on: the token prompt, a posted alert appearing without a
 * reload, acknowledging with the button, filters in the URL, and the first paint of 100 incidents.
 * Screenshots go to {@code target/screenshots}. The tests run in order on one page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;

    static TestApp app;
    static ChromeDriver browser;
    static String base;
    static ApiClient acme;

    @BeforeAll
    static void start() throws Exception {
        final String chromium = ExternalProgram.require("chromium", "chromium");
        final String chromedriver = ExternalProgram.require("chromedriver", "chromium-driver");
        final Path tokens =
                TestTokens.write(dir.resolve("tokens.yaml"), TestTokens.perTenant(List.of("acme", "globex")));
        final int port = Ports.freePort();
        app = TestApp.start(
                dir.resolve("app"),
                "console-it",
                Map.of(
                        "AUTH_TOKENS_FILE",
                        tokens.toString(),
                        "PEER_TOKEN",
                        "console-it-peer-secret",
                        "HTTP_HOST",
                        "127.0.0.1",
                        "HTTP_PORT",
                        Integer.toString(port),
                        "APPLICATION_SERVER",
                        "127.0.0.1:" + port));
        base = "http://127.0.0.1:" + port;
        acme = app.api().as("acme");
        final ChromeOptions options = new ChromeOptions()
                .setBinary(chromium)
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        "--window-size=1400,900",
                        "--user-data-dir=" + dir.resolve("chromium"));
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private static WebElement byId(final String id) {
        return browser.findElement(By.id(id));
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#incidents tbody tr"));
    }

    private static Object js(final String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void screenshot(final String name) throws IOException {
        final File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void post(final String tenant, final String alertId, final String severity, final String title)
            throws Exception {
        app.api()
                .as(tenant)
                .post(
                        "/alerts",
                        Map.of(
                                "alertId",
                                alertId,
                                "status",
                                "FIRING",
                                "checkedAt",
                                Instant.now().toString(),
                                "severity",
                                severity,
                                "title",
                                title,
                                "labels",
                                Map.of("service", "checkout")))
                .assertStatus(202);
    }

    @Test
    @Order(1)
    void shouldAskForATokenAndKeepItForTheTab() throws Exception {
        browser.get(base + "/");
        await().atMost(WAIT).until(() -> byId("token-dialog").isDisplayed());
        screenshot("token-prompt");
        byId("token-form").findElement(By.name("token")).sendKeys("not-a-token");
        byId("token-submit").click();
        await().atMost(WAIT)
                .until(() -> byId("token-dialog").isDisplayed()
                        && byId("token-reason").getText().contains("refused"));
        byId("token-form").findElement(By.name("token")).sendKeys(TestTokens.of("acme"));
        byId("token-submit").click();
        await().atMost(WAIT).until(() -> "true".equals(js("return document.body.dataset.loaded")));
        await().atMost(WAIT).until(() -> "live".equals(byId("live").getText()));
        assertEquals(TestTokens.of("acme"), js("return sessionStorage.getItem('incident-stream.token')"));
    }

    @Test
    @Order(2)
    void shouldShowANewAlertWithoutAReloadAndNothingOfAnotherTenant() throws Exception {
        js("window.notReloaded = true");
        post("globex", "globex-only", "critical", "Globex database down");
        post("acme", "checkout-latency", "high", "Checkout latency above 2 s");
        await().atMost(WAIT)
                .until(() -> rows().stream().anyMatch(r -> r.getText().contains("Checkout latency above 2 s")));
        assertEquals(true, js("return window.notReloaded === true"), "the page was not reloaded");
        assertFalse(browser.getPageSource().contains("Globex database down"));
        await().atMost(WAIT)
                .until(() -> !byId("mtta").getText().isEmpty()
                        && "1"
                                .equals(browser.findElement(By.cssSelector("#summary b[data-sev=high]"))
                                        .getText()));
    }

    @Test
    @Order(3)
    void shouldAcknowledgeWithTheButton() throws Exception {
        rows().stream()
                .filter(r -> r.getText().contains("Checkout latency"))
                .findFirst()
                .orElseThrow()
                .click();
        await().atMost(WAIT)
                .until(() -> byId("detail").isDisplayed() && byId("ack").isEnabled());
        final String id = byId("detail").getDomAttribute("data-id");
        byId("ack").click();
        await().atMost(WAIT)
                .until(() -> "ACKNOWLEDGED"
                        .equals(acme.json("/incidents/" + id).get("status").asText()));
        await().atMost(WAIT)
                .until(() -> byId("detail-message").getText().contains("Acknowledged")
                        && rows().stream().anyMatch(r -> r.getText().contains("ACKNOWLEDGED")));
        assertTrue(byId("timeline").getText().contains("ACKNOWLEDGED"), "the timeline shows the transition");
        await().atMost(WAIT).until(() -> !"–".equals(byId("mtta").getText()));
        screenshot("console");
        assertFalse(byId("reopen").isEnabled(), "an open incident cannot be reopened");
        // an error of the API is shown as it worded it
        byId("assign-form").findElement(By.name("assignee")).sendKeys("x".repeat(2000));
        byId("assign-form").findElement(By.cssSelector("button")).click();
        await().atMost(WAIT)
                .until(() -> byId("detail-message").isDisplayed()
                        && byId("detail-message").getText().contains("assignee"));
    }

    @Test
    @Order(4)
    void shouldReproduceTheViewFromFiltersInTheUrl() throws Exception {
        post("acme", "disk-full", "critical", "Disk full on db-1");
        browser.get(base + "/?severity=critical&sort=updatedAt&order=asc");
        await().atMost(WAIT)
                .until(() -> rows().size() == 1 && rows().get(0).getText().contains("Disk full"));
        assertTrue(browser.findElement(By.cssSelector("#filters input[value=critical]"))
                .isSelected());
        assertFalse(browser.findElement(By.cssSelector("#filters input[value=high]"))
                .isSelected());
        assertEquals("updatedAt", browser.findElement(By.name("sort")).getDomProperty("value"));
        browser.findElement(By.cssSelector("#filters input[value=high]")).click();
        byId("filters").submit();
        await().atMost(WAIT).until(() -> rows().size() == 2);
        assertTrue(browser.getCurrentUrl().contains("severity=critical&severity=high"), browser.getCurrentUrl());
    }

    @Test
    @Order(5)
    void shouldPaintAHundredIncidentsWithinASecond() throws Exception {
        final List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(Map.of(
                    "alertId",
                    "bulk-" + i,
                    "status",
                    "FIRING",
                    "checkedAt",
                    Instant.now().toString(),
                    "severity",
                    i % 2 == 0 ? "medium" : "low",
                    "title",
                    "Bulk incident " + i));
        }
        acme.post("/alerts", batch).assertStatus(202);
        await().atMost(WAIT).until(() -> acme.count("") >= 100);
        browser.get(base + "/?limit=100");
        await().atMost(WAIT).until(() -> "100".equals(js("return document.body.dataset.rows")));
        final double painted = ((Number) js("return performance.now()")).doubleValue();
        assertTrue(painted < 1000, "100 rows after " + painted + " ms");
        assertTrue(byId("next-page").isEnabled(), "more than one page");
        byId("next-page").click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("nextToken=") && rows().size() == 2);
        screenshot("hundred");
    }

    @Test
    @Order(6)
    void shouldCreateAManualIncidentAndShowTheApisRefusal() throws Exception {
        browser.get(base + "/?source=manual");
        await().atMost(WAIT).until(() -> "true".equals(js("return document.body.dataset.loaded")));
        byId("new-incident").click();
        final WebElement form = byId("create-form");
        form.findElement(By.name("title")).sendKeys("Payment provider outage");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(WAIT)
                .until(() -> byId("detail").isDisplayed()
                        && byId("detail-title").getText().equals("Payment provider outage"));
        await().atMost(WAIT)
                .until(() -> rows().size() == 1 && rows().get(0).getText().contains("Payment provider"));
        assertEquals(1, acme.count("source=manual"));
        byId("new-incident").click();
        form.findElement(By.name("title")).sendKeys("x".repeat(5000));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(WAIT)
                .until(() -> byId("create-message").isDisplayed()
                        && byId("create-message").getText().contains("title"));
    }
}
