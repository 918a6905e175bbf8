package smppgw.campaign;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipientsTest {
    private static List<Recipients.Row> csv(String text) throws Exception {
        List<Recipients.Row> out = new ArrayList<>();
        Recipients.csv(new StringReader(text), out::add);
        return out;
    }

    @Test
    void csvWithQuotesLineBreaksAndCrlfKeepsLineNumbers() throws Exception {
        List<Recipients.Row> rows = csv("\uFEFFfirst_name,to,note\r\n"
                + "Léa,+33612345678,\"a, b\"\r\n"
                + "\"Jean \"\"JJ\"\"\",0612345679,\"two\nlines\"\r\n"
                + "\r\n"
                + "Zoé,+33612345680,x\n");
        assertEquals(3, rows.size());
        assertEquals(new Recipients.Row(2, "+33612345678", Map.of("first_name", "Léa", "note", "a, b"), null), rows.get(0));
        assertEquals(3, rows.get(1).line());
        assertEquals("Jean \"JJ\"", rows.get(1).fields().get("first_name"));
        assertEquals("two\nlines", rows.get(1).fields().get("note"));
        assertEquals(6, rows.get(2).line(), "the quoted line break and the empty line are counted");
    }

    @Test
    void badLinesAreErrorsOfTheirOwnAndReadingGoesOn() throws Exception {
        List<Recipients.Row> rows = csv("to,name\n+33612345678\n\"+33612345679\"x,Bob\n+33612345680,Ann\n");
        assertEquals(3, rows.size());
        assertTrue(rows.get(0).error().contains("1 columns where the header has 2"), rows.get(0).error());
        assertEquals("text after a closing quote", rows.get(1).error());
        assertNull(rows.get(2).error());
        assertEquals(4, rows.get(2).line());
        assertThrows(IllegalArgumentException.class, () -> csv("number,name\n+33612345678,x\n"));
    }

    @Test
    void jsonLines() throws Exception {
        List<Recipients.Row> rows = new ArrayList<>();
        Recipients.jsonLines(new StringReader("{\"to\":\"+33612345678\",\"first_name\":\"Léa\",\"age\":31}\n\nnot json\n{\"first_name\":\"x\"}\n"
                + "{\"to\":\"+33612345679\",\"tags\":[1]}\n"), rows::add);
        assertEquals(4, rows.size());
        assertEquals(Map.of("first_name", "Léa", "age", "31"), rows.get(0).fields());
        assertTrue(rows.get(1).error().startsWith("not JSON"));
        assertEquals(3, rows.get(1).line());
        assertEquals("'to' is required (a phone number)", rows.get(2).error());
        assertEquals("field tags must be a string or a number", rows.get(3).error());
    }
}
