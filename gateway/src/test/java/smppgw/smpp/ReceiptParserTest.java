package smppgw.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.tlv.Tlv;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiptParserTest {
    private static long utc(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void smpp34AppendixBTextWithTenDigitDates() {
        DeliveryReport r = ReceiptParser.parse(
                "id:0972660181 sub:001 dlvrd:001 submit date:2411221530 done date:2411221531 stat:DELIVRD err:000 text:Bonjour le monde");
        assertEquals(new DeliveryReport("0972660181", "DELIVRD", "000", utc("2024-11-22T15:30:00Z"), utc("2024-11-22T15:31:00Z")), r);
    }

    @Test
    void twelveDigitDatesWithSeconds() {
        DeliveryReport r = ReceiptParser.parse(
                "id:39f99dd5 sub:001 dlvrd:000 submit date:241122153045 done date:241122153112 stat:UNDELIV err:001 text:");
        assertEquals(new DeliveryReport("39f99dd5", "UNDELIV", "001", utc("2024-11-22T15:30:45Z"), utc("2024-11-22T15:31:12Z")), r);
    }

    @Test
    void upperCaseKeysAndFourteenDigitDates() {
        // Seen from some Huawei/ZTE SMSCs: keys in upper case, a full year in the dates.
        DeliveryReport r = ReceiptParser.parse(
                "ID:7A3F0001 SUB:001 DLVRD:001 SUBMIT DATE:20241122153045 DONE DATE:20241122153112 STAT:delivrd ERR:0 Text:x");
        assertEquals(new DeliveryReport("7A3F0001", "DELIVRD", "0", utc("2024-11-22T15:30:45Z"), utc("2024-11-22T15:31:12Z")), r);
    }

    @Test
    void quotedTextThatLooksLikeFieldsIsIgnored() {
        DeliveryReport r = ReceiptParser.parse("id:42 sub:001 dlvrd:001 submit date:2411221530 done date:2411221530 "
                + "stat:EXPIRED err:027 text:your id:99 stat:DELIVRD");
        assertEquals("42", r.smscId());
        assertEquals("EXPIRED", r.stat());
        assertEquals("027", r.err());
    }

    @Test
    void missingOrImpossibleDatesAreNullNotErrors() {
        DeliveryReport r = ReceiptParser.parse("id:1 stat:REJECTD err:00B submit date:2413991530");
        assertEquals(new DeliveryReport("1", "REJECTD", "00B", null, null), r);
    }

    @Test
    void textWithoutIdIsNotAReceipt() {
        assertNull(ReceiptParser.parse("stat:DELIVRD err:000"));
    }

    @Test
    void tlvsWinOverTheText() throws Exception {
        DeliverSm d = new DeliverSm();
        d.setEsmClass(SmppConstants.ESM_CLASS_MT_SMSC_DELIVERY_RECEIPT);
        d.setShortMessage("id:0000000001 sub:001 dlvrd:001 submit date:2411221530 done date:2411221531 stat:ENROUTE err:000 text:"
                .getBytes(StandardCharsets.ISO_8859_1));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, "ABCDEF12\0".getBytes(StandardCharsets.ISO_8859_1)));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {5}));
        DeliveryReport r = ReceiptParser.parse(d);
        assertTrue(ReceiptParser.isReceipt(d));
        assertEquals("ABCDEF12", r.smscId());
        assertEquals("UNDELIV", r.stat());
        assertEquals("000", r.err());
        assertEquals(utc("2024-11-22T15:31:00Z"), r.doneDate());
    }

    @Test
    void tlvOnlyReceiptWithNetworkErrorCode() throws Exception {
        DeliverSm d = new DeliverSm();
        d.setEsmClass((byte) 0x04);
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, "777\0".getBytes(StandardCharsets.ISO_8859_1)));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {2}));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_NETWORK_ERROR_CODE, new byte[] {3, 0, 11}));
        assertEquals(new DeliveryReport("777", "DELIVRD", "011", null, null), ReceiptParser.parse(d));
    }

    @Test
    void messageFromAHandsetIsNotAReceipt() throws Exception {
        DeliverSm d = new DeliverSm();
        d.setEsmClass((byte) 0x00);
        d.setShortMessage("id:12 looks like one but is a person's text".getBytes(StandardCharsets.ISO_8859_1));
        assertFalse(ReceiptParser.isReceipt(d));
    }
}
