package smppgw.track;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The user-agent table on what real clients send (strings as those tools and browsers write them). */
class UserAgentsTest {
    @Test
    void machinesAreClassed() {
        Map<String, String> machines = Map.ofEntries(
                Map.entry("python-requests/2.31.0", "http-library"),
                Map.entry("Python-urllib/3.11", "http-library"),
                Map.entry("Go-http-client/1.1", "http-library"),
                Map.entry("okhttp/4.12.0", "http-library"),
                Map.entry("Java-http-client/17.0.15", "http-library"),
                Map.entry("Apache-HttpClient/4.5.14 (Java/17.0.2)", "http-library"),
                Map.entry("axios/1.6.2", "http-library"),
                Map.entry("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "http-library"),
                Map.entry("PostmanRuntime/7.36.0", "http-library"),
                Map.entry("curl/8.5.0", "command-line"),
                Map.entry("Wget/1.21.4", "command-line"),
                Map.entry("HTTPie/3.2.2", "command-line"),
                Map.entry("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "crawler"),
                Map.entry("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "crawler"),
                Map.entry("WhatsApp/2.23.20.0 A", "link-preview"),
                Map.entry("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "link-preview"),
                Map.entry("TelegramBot (like TwitterBot)", "link-preview"),
                Map.entry("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "link-preview"),
                Map.entry("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "link-preview"),
                Map.entry("Mozilla/5.0 (compatible; proofpoint URL Defense)", "security-scanner"),
                Map.entry("Barracuda Sentinel (EE)", "security-scanner"),
                Map.entry("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
                        "headless"));
        machines.forEach((ua, kind) -> assertEquals(kind, UserAgents.machine(ua), ua));
        assertEquals("none", UserAgents.machine(null));
        assertEquals("none", UserAgents.machine("  "));
    }

    @Test
    void phoneAndDesktopBrowsersAndInAppBrowsersArePeople() {
        for (String ua : new String[]{
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.0",
                "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/470.0;]",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/13.0 (like Safari/604.1)",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"}) {
            assertNull(UserAgents.machine(ua), ua);
        }
    }
}
