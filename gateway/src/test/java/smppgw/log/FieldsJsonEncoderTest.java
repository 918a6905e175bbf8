package smppgw.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped config/logback-json.xml: one JSON object per line, operator, bind and message id as fields. */
class FieldsJsonEncoderTest {
    private static FieldsJsonEncoder shipped(LoggerContext ctx) throws Exception {
        JoranConfigurator j = new JoranConfigurator();
        j.setContext(ctx);
        j.doConfigure(Path.of("..", "config", "logback-json.xml").toFile());
        AsyncAppender async = (AsyncAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
        ConsoleAppender<?> console = (ConsoleAppender<?>) async.getAppender("STDOUT");
        return assertInstanceOf(FieldsJsonEncoder.class, console.getEncoder());
    }

    private static JsonNode line(FieldsJsonEncoder enc, Logger log, String format, Object... args) throws Exception {
        LoggingEvent e = new LoggingEvent("x", log, Level.INFO, format, null, args);
        String s = new String(enc.encode(e), StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\n") && s.indexOf('\n') == s.length() - 1, "one line: " + s);
        return new ObjectMapper().readTree(s);
    }

    @Test
    void bracketedNamesBecomeFieldsAndTheTextStaysWhole() throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as the context slf4j gives the gateway has
        try {
            FieldsJsonEncoder enc = shipped(ctx);
            Logger log = ctx.getLogger("smppgw.smpp.BindSession");
            JsonNode bound = line(enc, log, "[op:{}] [bind:{}] bound to {}:{} as {} (window {})", "orange", "orange-0", "10.0.0.1", 2775,
                    "TRANSCEIVER", 100);
            assertEquals("orange", bound.get("operator").asText());
            assertEquals("orange-0", bound.get("bind").asText());
            assertEquals("INFO", bound.get("level").asText());
            assertEquals("smppgw.smpp.BindSession", bound.get("logger").asText());
            assertEquals("[op:orange] [bind:orange-0] bound to 10.0.0.1:2775 as TRANSCEIVER (window 100)", bound.get("message").asText());

            JsonNode state = line(enc, log, "[msg:{}] [op:{}] [to:{}] [from:{}] [state:ACCEPTED]", "01JABC", "sfr", "+3361234****", "ACME");
            assertEquals("01JABC", state.get("message_id").asText());
            assertEquals("sfr", state.get("operator").asText());
            assertEquals("+3361234****", state.get("to").asText());
            assertEquals("ACCEPTED", state.get("state").asText());

            JsonNode plain = line(enc, log, "configuration reloaded from {}: {}", "/etc/smppgw/gateway.yaml", "[operators[orange].tps]");
            assertFalse(plain.has("operator"), "a list in brackets is not a field: " + plain);
        } finally {
            ctx.stop();
        }
    }
}
