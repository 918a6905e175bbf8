package smppgw.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object per line for log shippers, with what smppgw's lines say in brackets as fields of their own:
 * {@code [op:orange] [bind:orange-0] [msg:01J…]} become {@code "operator":"orange","bind":"orange-0","message_id":"01J…"}
 * (and client, account, mo, smsc_id, state, stat, status, attempt, to, from, via), so a shipper can filter on them
 * without parsing text. The text stays whole in {@code message}. Numbers in {@code to}/{@code from} are exactly as the
 * line has them: masked with {@code log.privacy}.
 */
public final class FieldsJsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final Pattern FIELD = Pattern.compile("\\[([a-z][a-z-]*):([^\\]\\s]+)]");
    private static final Map<String, String> NAMES = Map.ofEntries(Map.entry("op", "operator"), Map.entry("bind", "bind"),
            Map.entry("msg", "message_id"), Map.entry("mo", "mo_id"), Map.entry("client", "client"), Map.entry("account", "account"),
            Map.entry("smsc-id", "smsc_id"), Map.entry("state", "state"), Map.entry("stat", "stat"), Map.entry("status", "status"),
            Map.entry("attempt", "attempt"), Map.entry("to", "to"), Map.entry("from", "from"), Map.entry("via", "via"),
            Map.entry("err", "err"));
    private static final byte[] NEWLINE = {'\n'};
    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", Instant.ofEpochMilli(e.getTimeStamp()).toString());
            g.writeStringField("level", e.getLevel().toString());
            g.writeStringField("logger", e.getLoggerName());
            g.writeStringField("thread", e.getThreadName());
            String text = e.getFormattedMessage();
            g.writeStringField("message", text);
            if (text != null && text.indexOf('[') >= 0) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                Matcher m = FIELD.matcher(text);
                while (m.find()) {
                    String name = NAMES.get(m.group(1));
                    if (name != null && seen.add(name)) {
                        g.writeStringField(name, m.group(2));
                    }
                }
            }
            for (Map.Entry<String, String> mdc : e.getMDCPropertyMap().entrySet()) {
                g.writeStringField(mdc.getKey(), mdc.getValue());
            }
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
        out.write(NEWLINE, 0, 1);
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
