package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import smppgw.daemon.Gateway;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them): sign in with
 * a client's key, open the campaign, the funnel equals the report; the admin token sees every client's; it fits a
 * phone's width. A screenshot is kept in target/console.png.
 */
class ConsoleTest {
    private static final String KEY = "acme-key-0123456789";
    private static final String PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();
    private ChromeDriver browser;

    @AfterEach
    void quit() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path p : tmp.filter(p -> p.getFileName().toString().startsWith("org.chromium.Chromium.")).toList()) {
                try (var w = Files.walk(p)) {
                    w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private ChromeDriver chromium() {
        assumeTrue(new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute(),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1400");
        ChromeDriverService s = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        return new ChromeDriver(s, o);
    }

    @Test
    void aClientSignsInOpensItsCampaignAndSeesTheReportsFunnel() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("tracking: {base-url: \"https://go.example.com/r\"}\nclients:\n  - {name: acme, api-key: " + KEY + "}\n",
                "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n");
        Http http = env.http().withKey(KEY);
        assertEquals(200, http.send("PUT", "/v1/campaigns/noel", "{\"from\":\"36111\",\"track_links\":true,\"variants\":["
                + "{\"name\":\"A\",\"text\":\"Joyeux Noel {first_name} https://shop.example.com/n\"},"
                + "{\"name\":\"B\",\"text\":\"{first_name}, vos cadeaux https://shop.example.com/n\"}]}").status());
        StringBuilder csv = new StringBuilder("to,first_name\n");
        for (int i = 0; i < 200; i++) {
            csv.append(String.format("+336300%05d", i)).append(",P").append(i).append('\n');
        }
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> up = http.postCsv("/v1/campaigns/noel/recipients", csv.toString());
        assertEquals(200, up.statusCode(), up.body());
        Map<String, Message> messages = new HashMap<>();
        gw.store().forCampaign("noel", id -> messages.put(id, gw.store().find(id).orElseThrow().message()));
        Await.until(Duration.ofSeconds(30), () -> messages.keySet().stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED), () -> "delivery");
        int i = 0;
        int clicks = 0;
        for (Message m : messages.values()) {
            if (i++ % (m.variant().equals("A") ? 3 : 8) == 0) {
                String token = m.text().substring(m.text().indexOf("/r/") + 3, m.text().indexOf("/r/") + 13);
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/r/" + token)).header("User-Agent", PHONE).build(),
                        HttpResponse.BodyHandlers.discarding());
                clicks++;
            }
        }
        int clicked = clicks;
        // a click is answered (the redirect) before its read is journaled: the report counts it a moment later
        Await.until(Duration.ofSeconds(10), () -> readsIn(http.get("/v1/campaigns/noel/report").body()) == clicked,
                () -> "reads in the report: " + readsIn(http.get("/v1/campaigns/noel/report").body()) + " of " + clicked + " clicks");
        JsonNode report = http.get("/v1/campaigns/noel/report").body();

        browser = chromium();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get("http://127.0.0.1:" + env.httpPort() + "/console");
        WebElement keyField = browser.findElement(By.id("key"));
        assertEquals("key", browser.findElement(By.cssSelector("label[for=key]")).getAttribute("for"), "the key field has its label");
        keyField.sendKeys("not-a-key");
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not accepted"));
        keyField.clear();
        keyField.sendKeys(KEY);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.campaign-link[data-campaign=noel]"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#funnel tbody tr")));
        for (JsonNode v : report.get("variants")) {
            WebElement row = browser.findElement(By.cssSelector("#funnel tbody tr[data-variant=" + v.get("name").asText() + "]"));
            for (String f : new String[]{"recipients", "sent", "delivered", "read", "converted"}) {
                assertEquals(v.get(f).asText(), row.findElement(By.cssSelector("td[data-field=" + f + "]")).getText(), v.get("name").asText() + " " + f);
            }
        }
        assertTrue(browser.findElement(By.id("winner")).getText().contains(report.get("winner").isNull() ? "No winner yet" : "Winner: variant"),
                browser.findElement(By.id("winner")).getText());
        assertTrue(browser.findElements(By.cssSelector("#funnel-chart svg[role=img] rect")).size() >= 8, "the funnel drawn as SVG");
        assertTrue(browser.findElements(By.cssSelector("#reads-chart svg polyline")).size() == 1, "reads over time drawn");
        Path shot = Path.of("target", "console.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));

        // on a phone's width nothing scrolls sideways
        browser.manage().window().setSize(new Dimension(390, 844));
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertTrue(((Number) overflow).intValue() <= 0, "sideways overflow " + overflow + " px at 390 px wide");

        // the admin token sees every client's campaigns
        browser.findElement(By.id("back")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-out"))).click();
        WebElement again = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
        again.clear();
        again.sendKeys(Http.adminToken(env.dir()));
        browser.findElement(By.id("sign-in")).click();
        WebElement link = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.campaign-link[data-campaign=noel]")));
        assertTrue(link.getText().contains("client acme"), link.getText());
        assertTrue(browser.findElement(By.id("who")).getText().contains("admin"));
    }


    private static int readsIn(JsonNode report) {
        int n = 0;
        for (JsonNode v : report.get("variants")) {
            n += v.get("read").asInt();
        }
        return n;
    }
}
