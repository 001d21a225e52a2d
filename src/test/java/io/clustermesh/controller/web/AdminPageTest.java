package io.clustermesh.controller.web;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.HeadlessChromium;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

@QuarkusTest
@QuarkusTestResource(
        value = SimulatedClustersResource.class,
        initArgs = @ResourceArg(name = "clusters", value = "2"),
        restrictToAnnotatedClass = true)
class AdminPageTest {
    private static final Path SCREENSHOTS = Path.of("target");
    private static final By HEALTHY_LINK = By.cssSelector("#mesh-graph line.link[data-status='healthy']");

    @TestHTTPResource("/")
    URL page;

    @Test
    void pageIsPublicSelfContainedAndWhoamiNamesTheRole() {
        given().get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"app.js\">"))
                .body(not(containsString("http://")))
                .body(not(containsString("https://")));
        assertThat(PageAssets.modules()).contains("/app.js", "/js/api.js", "/js/panels/preview.js");
        for (String module : PageAssets.modules()) {
            given().get(module)
                    .then()
                    .statusCode(200)
                    .contentType(containsString("javascript"))
                    .body(not(containsString("innerHTML")));
        }
        given().get("/app.css").then().statusCode(200);
        given().get("/api/v1/whoami").then().statusCode(401);
        viewer().get("/api/v1/whoami")
                .then()
                .statusCode(200)
                .body("name", equalTo("test-viewer"))
                .body("role", equalTo("viewer"));
        operator()
                .get("/api/v1/whoami")
                .then()
                .statusCode(200)
                .body("role", equalTo("operator"))
                .body(not(containsString(SimulatedClustersResource.OPERATOR_TOKEN)));
    }

    @Test
    void operatorConnectsThroughThePageAndViewerSeesNoMutatingButtons() throws Exception {
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/clusters/cloud/clustermesh").then()).body("state", equalTo("succeeded"));

        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver browser = chromium.driver();
            try {
                browser.get(page.toString());
                signIn(browser, SimulatedClustersResource.OPERATOR_TOKEN);
                waitFor(browser, () -> nodes(browser).containsAll(List.of("homelab", "cloud")));
                assertThat(browser.findElement(By.id("simulated-banner")).isDisplayed())
                        .isTrue();
                assertThat(browser.findElement(By.cssSelector("#mesh-graph g.node[data-cluster='homelab']"))
                                .getAttribute("data-mode"))
                        .isEqualTo("port-forward");
                assertThat(browser.findElements(HEALTHY_LINK)).isEmpty();

                rotationPreviewShowsAPlanOrSaysNotAvailable(browser);
                waitFor(
                        browser,
                        () -> browser.findElements(By.id("connect-button")).size() == 1);
                click(browser, By.cssSelector("#connect-a option[value='homelab']"));
                click(browser, By.cssSelector("#connect-b option[value='cloud']"));
                click(browser, By.id("connect-button"));
                waitFor(
                        browser,
                        () -> browser.findElements(By.cssSelector("#preview #plan tbody tr"))
                                        .size()
                                == 6);
                assertThat(browser.findElements(By.cssSelector("#preview #plan tbody tr td:first-child")))
                        .extracting(WebElement::getText)
                        .containsOnly("homelab", "cloud");
                assertThat(operator().get("/api/v1/links").then().extract().<List<?>>path(""))
                        .as("dry run changes nothing")
                        .isEmpty();
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-preview.png"));
                click(browser, By.id("preview-confirm"));

                waitFor(browser, () -> !browser.findElements(HEALTHY_LINK).isEmpty());
                WebElement link = browser.findElement(HEALTHY_LINK);
                assertThat(List.of(link.getAttribute("data-a"), link.getAttribute("data-b")))
                        .containsExactlyInAnyOrder("homelab", "cloud");
                waitFor(
                        browser,
                        () -> !browser.findElements(By.cssSelector(".operation[data-state='succeeded']"))
                                .isEmpty());
                chromium.screenshot(SCREENSHOTS.resolve("admin-page.png"));
                assertThat(chromium.documentAndWindowWidth())
                        .satisfies(w -> assertThat(w.get(0)).isLessThanOrEqualTo(w.get(1)));
                assertThat(browser.getPageSource()).doesNotContain(SimulatedClustersResource.OPERATOR_TOKEN);

                click(browser, By.id("sign-out"));
                signIn(browser, SimulatedClustersResource.VIEWER_TOKEN);
                waitFor(
                        browser,
                        () -> !browser.findElements(HEALTHY_LINK).isEmpty()
                                && browser.findElement(By.id("whoami"))
                                        .getText()
                                        .contains("viewer"));
                assertThat(browser.findElements(By.cssSelector("[data-mutating]")))
                        .isEmpty();
                assertThat(browser.findElements(By.tagName("button")))
                        .extracting(WebElement::getText)
                        .noneMatch(text -> text.matches("(?i).*(enable|disable|connect|rotate|full mesh|confirm).*"));
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-viewer.png"));
                assertThat(browser.getPageSource()).doesNotContain(SimulatedClustersResource.VIEWER_TOKEN);

                contractShapedAnswersAreRenderedAsText(chromium);
                assertThat(chromium.pageErrors()).isEmpty();

                ((JavascriptExecutor) browser)
                        .executeScript("sessionStorage.setItem('clustermesh-controller.token', 'not-a-token')");
                browser.navigate().refresh();
                waitFor(
                        browser,
                        () -> browser.findElement(By.id("sign-in")).isDisplayed()
                                && browser.findElement(By.id("sign-in-message"))
                                        .getText()
                                        .contains("did not accept"));
                assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
            } catch (AssertionError | RuntimeException e) {
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-failure.png"));
                throw e;
            }
        }
    }

    @Test
    void atFourHundredPixelsNothingIsWiderThanTheWindowAndActionsStayInView() throws Exception {
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/clusters/cloud/clustermesh").then()).body("state", equalTo("succeeded"));

        try (HeadlessChromium chromium = HeadlessChromium.narrow(400, 2600)) {
            WebDriver browser = chromium.driver();
            try {
                // The contract-shaped answers put long reasons, hints and a full calendar on the page.
                try (var script = AdminPageTest.class.getResourceAsStream("/web/contract-answers.js")) {
                    chromium.beforeEveryPage(
                            new String(script.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
                browser.get(page.toString());
                signIn(browser, SimulatedClustersResource.OPERATOR_TOKEN);
                waitFor(
                        browser,
                        () -> browser.findElements(By.cssSelector("#reachability td.result"))
                                                .size()
                                        == 2
                                && !browser.findElements(By.cssSelector("#clusters [data-mutating]"))
                                        .isEmpty());

                assertThat(chromium.documentAndWindowWidth())
                        .as("[document width, window width]")
                        .containsExactly(400L, 400L);
                List<WebElement> actions = browser.findElements(By.cssSelector("[data-mutating]"));
                assertThat(actions).hasSizeGreaterThanOrEqualTo(5);
                assertThat(actions).allSatisfy(button -> {
                    assertThat(button.isDisplayed()).isTrue();
                    assertThat(button.getRect().getX() + button.getRect().getWidth())
                            .as(button.getText())
                            .isLessThanOrEqualTo(400);
                });
                assertThat(browser.findElement(By.cssSelector("#reachability td.result.bad"))
                                .getText())
                        .contains("add a TCP port-forward on homelab's home router");
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-400.png"));

                click(
                        browser,
                        By.cssSelector("#clusters tr[data-cluster='homelab'] [data-mutating='rotate-wireguard']"));
                waitFor(
                        browser,
                        () -> !browser.findElements(By.cssSelector("#preview #plan, #preview #plan-empty"))
                                .isEmpty());
                assertThat(chromium.documentAndWindowWidth())
                        .satisfies(w -> assertThat(w.get(0)).isLessThanOrEqualTo(400L));
                WebElement confirm = browser.findElement(By.id("preview-confirm"));
                assertThat(confirm.getRect().getX() + confirm.getRect().getWidth())
                        .isLessThanOrEqualTo(400);
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-400-preview.png"));
                click(browser, By.id("preview-cancel"));
                assertThat(chromium.pageErrors()).isEmpty();
            } catch (AssertionError | RuntimeException e) {
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-400-failure.png"));
                throw e;
            }
        }
    }

    /**
     * The real matrix, not the contract-shaped answers: with homelab's router no longer forwarding its
     * clustermesh port, the cell cloud → homelab is bad and carries the probe's reason and what to do.
     */
    @Test
    void anEndpointNobodyCanReachShowsReasonAndHintInItsMatrixCell() throws Exception {
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/clusters/cloud/clustermesh").then()).body("state", equalTo("succeeded"));
        SimulatedClustersResource.cluster("homelab").inject(SimulatedFault.PORT_FORWARD_REMOVED);
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            finished(operator().body("{}").post("/api/v1/reachability/probes").then())
                    .body("state", equalTo("succeeded"));
            WebDriver browser = chromium.driver();
            try {
                browser.get(page.toString());
                signIn(browser, SimulatedClustersResource.VIEWER_TOKEN);
                By badCell = By.cssSelector("#reachability td.result.bad");
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            browser.navigate().refresh();
                            return !browser.findElements(badCell).isEmpty()
                                    && browser.findElement(badCell).getText().contains("refused");
                        });
                WebElement cell = browser.findElement(badCell);
                assertThat(cell.findElement(By.cssSelector(".reason")).getText())
                        .contains("forward missing on the router", "refused the connection");
                assertThat(cell.findElement(By.cssSelector(".hint")).getText())
                        .contains("add a TCP port-forward on homelab's home router");
                assertThat(browser.findElements(badCell))
                        .as("only the direction into homelab fails")
                        .hasSize(1);
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-unreachable.png"));
                assertThat(chromium.pageErrors()).isEmpty();
            } catch (AssertionError | RuntimeException e) {
                chromium.screenshot(SCREENSHOTS.resolve("admin-page-unreachable-failure.png"));
                throw e;
            }
        } finally {
            SimulatedClustersResource.cluster("homelab").heal();
        }
    }

    private static void rotationPreviewShowsAPlanOrSaysNotAvailable(WebDriver browser) {
        click(browser, By.cssSelector("#clusters tr[data-cluster='homelab'] [data-mutating='rotate-wireguard']"));
        waitFor(
                browser,
                () -> !browser.findElements(
                                By.cssSelector("#preview #plan, #preview #plan-empty, #preview .unavailable"))
                        .isEmpty());
        assertThat(browser.findElements(By.cssSelector("#preview .error"))).isEmpty();
        click(browser, By.id("preview-cancel"));
        waitFor(browser, () -> browser.findElements(By.id("preview")).isEmpty());
    }

    /** Health, reachability, history and check runs as the REST contract shapes them (see contract-answers.js). */
    private static void contractShapedAnswersAreRenderedAsText(HeadlessChromium chromium) throws Exception {
        WebDriver browser = chromium.driver();
        try (var script = AdminPageTest.class.getResourceAsStream("/web/contract-answers.js")) {
            chromium.beforeEveryPage(new String(script.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        browser.navigate().refresh();
        waitFor(
                browser,
                () -> browser.findElements(By.cssSelector("#reachability td.result"))
                                        .size()
                                == 2
                        && browser.findElement(By.id("history")).getText().contains("Flaps: 1"));
        assertThat(browser.findElement(By.id("overall")).getText()).isEqualTo("mesh degraded");
        assertThat(browser.findElements(By.cssSelector("#reachability td.result")))
                .extracting(WebElement::getText)
                .anySatisfy(t -> assertThat(t).startsWith("ok"))
                .anySatisfy(t -> assertThat(t).startsWith("timeout"));
        // Coloured by what is due: inside the renewal threshold warns, expired is bad, and a key
        // rotated minutes ago is fine although it reaches its maximum age within the day.
        assertThat(browser.findElement(By.cssSelector("#expiries li.warn")).getText())
                .contains("homelab", "server certificate", "9 days left; renew now");
        assertThat(browser.findElement(By.cssSelector("#expiries li.bad")).getText())
                .contains("admin certificate", "expired");
        assertThat(browser.findElements(By.cssSelector("#expiries li.good")))
                .extracting(WebElement::getText)
                .anySatisfy(t ->
                        assertThat(t).contains("WireGuard key of cloud-node-1").containsPattern("due in (9|10) min"))
                .anySatisfy(t -> assertThat(t)
                        .contains("cloud", "CA", "200 days left")
                        .containsPattern("renew in 1(69|70) days"));
        assertThat(browser.findElements(By.cssSelector("#reachability td.result.bad")))
                .singleElement()
                .extracting(WebElement::getText)
                .satisfies(t -> assertThat(t)
                        .contains(
                                "timeout",
                                "forward missing on the router",
                                "add a TCP port-forward on homelab's home router"));
        assertThat(browser.findElement(By.cssSelector("#clusters tr[data-cluster='homelab']"))
                        .getText())
                .contains("certificates: server certificate expires in 9 days");
        assertThat(browser.findElement(By.id("checks")).getText()).contains("1 certificate expires within 14 days");
        assertThat(browser.findElement(By.id("history")).getText())
                .contains("<img src=x onerror=alert(1)> agents lost the remote");
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        chromium.screenshot(SCREENSHOTS.resolve("admin-page-contract.png"));
    }

    private static void signIn(WebDriver browser, String token) {
        waitFor(browser, () -> browser.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(token);
        click(browser, By.id("sign-in-button"));
        waitFor(browser, () -> browser.findElement(By.id("app")).isDisplayed());
    }

    /** Finds and clicks in one retried step: the page re-renders sections while it refreshes. */
    private static void click(WebDriver browser, By target) {
        waitFor(browser, () -> {
            browser.findElement(target).click();
            return true;
        });
    }

    private static List<String> nodes(WebDriver browser) {
        return browser.findElements(By.cssSelector("#mesh-graph g.node")).stream()
                .map(n -> n.getAttribute("data-cluster"))
                .toList();
    }

    private static void waitFor(WebDriver browser, Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(condition);
    }
}
