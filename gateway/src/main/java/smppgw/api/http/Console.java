package smppgw.api.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /console}: the campaign console, plain HTML, CSS and one script from the jar (no build step, no CDN: it works
 * offline). The page holds no data: it calls the API with the key the user types in (kept in the tab's session storage).
 */
final class Console {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private Console() {
    }

    static void serve(Exchange ex, String path) {
        String name = path.isEmpty() ? "index.html" : path;
        String ext = name.substring(name.lastIndexOf('.') + 1);
        byte[] body = name.matches("[a-z-]+\\.(html|js|css|svg)") ? CACHE.computeIfAbsent(name, Console::load) : null;
        if (body == null || body.length == 0) {
            ex.send(HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no such resource: /console/" + name));
            return;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(ext));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        r.headers().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
        r.headers().set("X-Content-Type-Options", "nosniff");
        ex.write(r);
    }

    private static byte[] load(String name) {
        try (InputStream in = Console.class.getResourceAsStream("/smppgw/console/" + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
