package smppgw.api.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import smppgw.model.Notification;
import smppgw.text.EncodedText;

/** deliver_sm for integrators: standard delivery receipts (SMPP 3.4 Appendix B) and handset messages. */
final class Receipts {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);

    private Receipts() {
    }

    /** Whether the client asked for this one: registered_delivery 1 every final state, 2 failures only. */
    static boolean wanted(Notification n) {
        if (n.kind().equals(Notification.MO)) {
            return true;
        }
        Integer r = n.receipt();
        return r != null && n.isFinal() && !n.isLateRead() && (r == 1 || (r == 2 && n.isFailure()));
    }

    static DeliverSm receipt(Notification n) throws SmppInvalidArgumentException {
        String stat = switch (n.state()) {
            case "DELIVERED", "READ" -> "DELIVRD"; // read before any receipt: SMPP has no "read", it was delivered
            case "EXPIRED" -> "EXPIRED";
            case "REJECTED" -> "REJECTD";
            case "CANCELLED" -> "DELETED";
            default -> "UNDELIV";
        };
        String err = n.err() != null ? n.err() : n.status() != null ? String.format("%03d", Math.min(999, n.status())) : "000";
        String text = n.text() == null ? "" : n.text().replaceAll("[^\\x20-\\x7E]", "?");
        String body = "id:" + n.id() + " sub:001 dlvrd:" + (stat.equals("DELIVRD") ? "001" : "000")
                + " submit date:" + DATE.format(Instant.ofEpochMilli(n.acceptedAt() == null ? n.at() : n.acceptedAt()))
                + " done date:" + DATE.format(Instant.ofEpochMilli(n.at())) + " stat:" + stat + " err:" + err
                + " text:" + (text.length() > 20 ? text.substring(0, 20) : text);
        DeliverSm d = new DeliverSm();
        d.setSourceAddress(address(n.to()));
        d.setDestAddress(address(n.from()));
        d.setEsmClass(SmppConstants.ESM_CLASS_MT_SMSC_DELIVERY_RECEIPT);
        d.setShortMessage(body.getBytes(StandardCharsets.ISO_8859_1));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, (n.id() + "\0").getBytes(StandardCharsets.ISO_8859_1)));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {messageState(stat)}));
        return d;
    }

    static DeliverSm mo(Notification n) throws SmppInvalidArgumentException {
        DeliverSm d = new DeliverSm();
        d.setSourceAddress(address(n.from()));
        d.setDestAddress(address(n.to()));
        EncodedText t = EncodedText.of(n.text() == null ? "" : n.text());
        d.setDataCoding(t.dataCoding());
        if (t.bytes().length <= 254) {
            d.setShortMessage(t.bytes());
        } else {
            d.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, t.bytes()));
        }
        return d;
    }

    private static byte messageState(String stat) {
        return switch (stat) {
            case "DELIVRD" -> 2;
            case "EXPIRED" -> 3;
            case "UNDELIV" -> 5;
            case "REJECTD" -> 8;
            default -> 7;
        };
    }

    /** E.164 as international, short numeric as network specific, else alphanumeric. */
    static Address address(String a) {
        if (a == null) {
            return new Address((byte) 0, (byte) 0, "");
        }
        if (a.startsWith("+")) {
            return new Address(SmppConstants.TON_INTERNATIONAL, SmppConstants.NPI_E164, a.substring(1));
        }
        if (a.chars().allMatch(Character::isDigit)) {
            return new Address(SmppConstants.TON_NETWORK, SmppConstants.NPI_UNKNOWN, a);
        }
        return new Address(SmppConstants.TON_ALPHANUMERIC, SmppConstants.NPI_UNKNOWN, a);
    }
}
