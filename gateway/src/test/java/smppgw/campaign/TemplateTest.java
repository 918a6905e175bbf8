package smppgw.campaign;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TemplateTest {
    @Test
    void fieldsFallbacksAndPromoLeftForTheGateway() {
        Template t = Template.of("Bonjour {first_name}, {city|chez vous} : {promo} {not a field} {x|}");
        assertEquals(List.of("first_name", "city", "x"), t.fields());
        assertEquals("Bonjour Léa, Lyon : {promo} {not a field} y", t.render(Map.of("first_name", "Léa", "city", "Lyon", "x", "y")));
        assertEquals("Bonjour Léa, chez vous : {promo} {not a field} ", t.render(Map.of("first_name", "Léa", "city", "")),
                "an empty value takes the fallback; an empty fallback is allowed");
        assertEquals("$1 \\n", Template.of("{a} {b}").render(Map.of("a", "$1", "b", "\\n")), "values are text, not patterns");
    }

    @Test
    void aMissingFieldWithoutFallbackIsNamed() {
        Template.MissingField e = assertThrows(Template.MissingField.class, () -> Template.of("Hi {first_name} {last}").render(Map.of("last", "x")));
        assertEquals("first_name", e.field());
    }
}
