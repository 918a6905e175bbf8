package smppgw.intake;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PhoneNumbersTest {
    @Test
    void acceptsTheFormsIntegratorsSend() {
        assertEquals("+33612345678", PhoneNumbers.normalize("to", "+33612345678", ""));
        assertEquals("+33612345678", PhoneNumbers.normalize("to", "0033612345678", ""));
        assertEquals("+33612345678", PhoneNumbers.normalize("to", "+33 6 12 34 56 78", ""));
        assertEquals("+33612345678", PhoneNumbers.normalize("to", "33612345678", "33"));
        assertEquals("+33612345678", PhoneNumbers.normalize("to", "06.12.34.56.78", "33"));
        assertEquals("+442079460000", PhoneNumbers.normalize("to", "+44 (20) 7946-0000", "33"));
    }

    @Test
    void refusesWithTheFieldAndTheReason() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> PhoneNumbers.normalize("to", "0612345678", ""));
        assertEquals("to", e.field());
        assertEquals(400, e.httpStatus());
        assertEquals("to '0612345678' is not an international number: write it as +<country code><number> (or set default-country-code)",
                e.getMessage());
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.normalize("to", "+3361234567890123", ""));
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.normalize("to", "+0612345678", ""));
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.normalize("to", "+33 6 12 AB 56 78", ""));
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.normalize("to", " ", "33"));
    }

    @Test
    void sendersAreNumbersShortCodesOrAlphanumericIds() {
        assertEquals("ACME", PhoneNumbers.sender("ACME", ""));
        assertEquals("36111", PhoneNumbers.sender("36111", ""));
        assertEquals("+33612345678", PhoneNumbers.sender("0612345678", "33"));
        assertEquals("My-Shop 24", PhoneNumbers.sender("My-Shop 24", ""));
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.sender("ACME-MARKETING", ""), "12 characters");
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.sender("Caf\u00e9", ""), "non-GSM letter");
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.sender("12", ""), "too short");
        assertThrows(InvalidRequestException.class, () -> PhoneNumbers.sender("--", ""), "no letter");
    }
}
