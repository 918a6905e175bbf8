package smppgw.track;

import java.util.List;
import java.util.Locale;

/**
 * Who fetched a tracking link, from its User-Agent: a person's browser, or a machine. Only a person's click makes a
 * message READ; a machine's is kept as a signal with {@code human: false}. The whole table is here, matched in order,
 * case-insensitively, on a substring of the user agent (first match wins); anything not in it is a browser, in-app
 * browsers included (Instagram, Facebook, Snapchat: a person tapped the link).
 *
 * <table>
 * <caption>Machines</caption>
 * <tr><th>class</th><th>user agents containing</th><th>who</th></tr>
 * <tr><td>{@code none}</td><td>(no User-Agent, or a blank one)</td><td>scripts; no browser sends none</td></tr>
 * <tr><td>{@code link-preview}</td><td>facebookexternalhit, facebot, whatsapp, twitterbot, slackbot, telegrambot,
 *     linkedinbot, discordbot, skypeuripreview, embedly, pinterestbot, redditbot, vkshare, iframely, bitlybot,
 *     preview</td><td>messaging apps and social networks drawing a card for a link</td></tr>
 * <tr><td>{@code security-scanner}</td><td>barracuda, proofpoint, mimecast, symantec, trendmicro, fortiguard,
 *     safebrowsing, urlscan, virustotal, zscaler, paloalto, checkpoint, sophos, forcepoint, ironport,
 *     google-safety, microsoft office, msoffice</td><td>mail and mobile security gateways that open every link first</td></tr>
 * <tr><td>{@code http-library}</td><td>python-requests, python-urllib, aiohttp, httpx, go-http-client, okhttp,
 *     java-http-client, java/, apache-httpclient, jakarta commons, axios, node-fetch, undici, got (, libwww-perl,
 *     lwp::, php/, guzzlehttp, ruby, faraday, http.rb, dart:io, reqwest, restsharp, postmanruntime,
 *     insomnia</td><td>code, not a person</td></tr>
 * <tr><td>{@code command-line}</td><td>curl/, wget/, httpie, powershell, libfetch</td><td>command-line tools</td></tr>
 * <tr><td>{@code headless}</td><td>headlesschrome, phantomjs, puppeteer, playwright, selenium,
 *     lighthouse</td><td>automated browsers</td></tr>
 * <tr><td>{@code crawler}</td><td>googlebot, bingbot, applebot, baiduspider, duckduckbot, ahrefs,
 *     semrush, petalbot, crawler, spider, bot/, bot;, +http</td><td>search engines and crawlers</td></tr>
 * </table>
 * HEAD requests and prefetches ({@code Purpose: prefetch}, {@code Sec-Purpose: prefetch}) are not looked at: they
 * never count, for anyone.
 */
public final class UserAgents {
    private UserAgents() {
    }

    /** A machine class and the substrings that name it. */
    private record Row(String kind, List<String> contains) {
    }

    private static final List<Row> TABLE = List.of(
            new Row("link-preview", List.of("facebookexternalhit", "facebot", "whatsapp", "twitterbot", "slackbot", "telegrambot",
                    "linkedinbot", "discordbot", "skypeuripreview", "embedly", "pinterestbot", "redditbot", "vkshare", "iframely",
                    "bitlybot", "preview")),
            new Row("security-scanner", List.of("barracuda", "proofpoint", "mimecast", "symantec", "trendmicro", "fortiguard",
                    "safebrowsing", "urlscan", "virustotal", "zscaler", "paloalto", "checkpoint", "sophos", "forcepoint", "ironport",
                    "google-safety", "microsoft office", "msoffice")),
            new Row("http-library", List.of("python-requests", "python-urllib", "aiohttp", "httpx", "go-http-client", "okhttp",
                    "java-http-client", "java/", "apache-httpclient", "jakarta commons", "axios", "node-fetch", "undici", "got (",
                    "libwww-perl", "lwp::", "php/", "guzzlehttp", "ruby", "faraday", "http.rb", "dart:io", "reqwest", "restsharp",
                    "postmanruntime", "insomnia")),
            new Row("command-line", List.of("curl/", "wget/", "httpie", "powershell", "libfetch")),
            new Row("headless", List.of("headlesschrome", "phantomjs", "puppeteer", "playwright", "selenium", "lighthouse")),
            new Row("crawler", List.of("googlebot", "bingbot", "applebot", "baiduspider", "duckduckbot", "ahrefs", "semrush",
                    "petalbot", "crawler", "spider", "bot/", "bot;", "+http")));

    /** The machine class of a user agent ({@code none}, {@code http-library}, ...), or null for a person's browser. */
    public static String machine(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "none";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        for (Row r : TABLE) {
            for (String s : r.contains()) {
                if (ua.contains(s)) {
                    return r.kind();
                }
            }
        }
        return null;
    }

    /** Every machine class, for metrics and documentation. */
    public static List<String> kinds() {
        List<String> k = new java.util.ArrayList<>();
        k.add("none");
        TABLE.forEach(r -> k.add(r.kind()));
        return k;
    }
}
