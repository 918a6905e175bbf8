package smppgw.model;

import smppgw.model.SmscIds;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmscIdsTest {
    @Test
    void canonicalFoldsCaseAndLeadingZeros() {
        assertEquals("39f99dd5", SmscIds.canonical("0039F99DD5"));
        assertEquals("0", SmscIds.canonical("0000"));
        assertEquals("abc-1", SmscIds.canonical(" ABC-1 "));
    }

    @Test
    void decimalReceiptIdFindsHexSubmitId() {
        // The quirk: submit_sm_resp says 39f99dd5, the receipt says 0972660181 (the same number in decimal).
        assertEquals(List.of("972660181", "39f99dd5", "40573993345"), SmscIds.candidates("0972660181"));
        assertEquals("39f99dd5", SmscIds.canonical("39F99DD5"));
    }

    @Test
    void hexReceiptIdFindsDecimalSubmitId() {
        assertEquals(List.of("39f99dd5", "972660181"), SmscIds.candidates("39F99DD5"));
    }

    @Test
    void nonNumericIdsHaveOnlyThemselves() {
        assertEquals(List.of("msg-7f3a"), SmscIds.candidates("MSG-7F3A"));
        assertEquals(List.of("550e8400e29b41d4a716446655440000"), SmscIds.candidates("550e8400e29b41d4a716446655440000"));
    }
}
