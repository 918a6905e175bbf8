package smppgw.api.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;

import java.nio.charset.StandardCharsets;

import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.protocol.Concats;
import smppgw.text.Gsm7;

/** A submit_sm from an integrator read into the same request the HTTP API builds. */
final class SubmitSmReader {
    private SubmitSmReader() {
    }

    static Intake.Request read(String client, SubmitSm sm) {
        return read(client, sm, java.time.Instant.now());
    }

    /**
     * With the integrator's validity_period (as the message's validity, counted from {@code now}) and
     * schedule_delivery_time (as its send_at), absolute or relative; one that is not an SMPP time, or that the gateway
     * cannot honour (a validity under a minute or over 30 days, a schedule over 30 days ahead), is refused:
     * ESME_RINVEXPIRY or ESME_RINVSCHED.
     */
    static Intake.Request read(String client, SubmitSm sm, java.time.Instant now) {
        String validity = null;
        String sendAt = null;
        try {
            java.time.Instant until = smppgw.protocol.SmppTime.parse(sm.getValidityPeriod(), now);
            if (until != null) {
                validity = String.valueOf(Math.max(0, java.time.Duration.between(now, until).getSeconds()));
            }
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.field("validity", "validity_period '" + sm.getValidityPeriod() + "' is " + e.getMessage());
        }
        try {
            java.time.Instant at = smppgw.protocol.SmppTime.parse(sm.getScheduleDeliveryTime(), now);
            if (at != null) {
                sendAt = at.atOffset(java.time.ZoneOffset.UTC).toString();
            }
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.field("send_at", "schedule_delivery_time '" + sm.getScheduleDeliveryTime() + "' is " + e.getMessage());
        }
        Intake.Request r = new Intake.Request(client, destination(sm.getDestAddress()), source(sm.getSourceAddress()), text(sm), null, validity);
        return sendAt == null ? r : r.withSchedule(sendAt, null);
    }

    /** International numbers get their '+'; anything else goes to the E.164 normalisation as written. */
    static String destination(Address a) {
        if (a == null || a.getAddress() == null || a.getAddress().isEmpty()) {
            return null;
        }
        String s = a.getAddress();
        return a.getTon() == SmppConstants.TON_INTERNATIONAL && !s.startsWith("+") ? "+" + s : s;
    }

    static String source(Address a) {
        if (a == null || a.getAddress() == null || a.getAddress().isEmpty()) {
            return null;
        }
        String s = a.getAddress();
        return a.getTon() == SmppConstants.TON_INTERNATIONAL && !s.startsWith("+") && s.chars().allMatch(Character::isDigit) ? "+" + s : s;
    }

    /** short_message or message_payload, decoded per data_coding (0 GSM 03.38, 1 and 3 Latin-1, 8 UCS-2). */
    static String text(SubmitSm sm) {
        byte[] b = Concats.withoutUdh(sm);
        if (b == null || b.length == 0) {
            Tlv payload = sm.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
            b = payload == null ? new byte[0] : payload.getValue();
        }
        return switch (sm.getDataCoding() & 0xFF) {
            case 0x00 -> Gsm7.decode(b);
            case 0x01, 0x03 -> new String(b, StandardCharsets.ISO_8859_1);
            case 0x08 -> new String(b, StandardCharsets.UTF_16BE);
            default -> throw new InvalidRequestException(400, "data_coding", "data_coding",
                    String.format("data_coding 0x%02X is not supported (0x00 GSM, 0x01/0x03 Latin-1, 0x08 UCS-2)", sm.getDataCoding()));
        };
    }

    /** The SMPP command_status for a refusal. */
    static int status(InvalidRequestException e) {
        if (e.code().equals("disk_full")) {
            return SmppConstants.STATUS_SYSERR;
        }
        if (e.code().equals("opted_out") || e.code().equals("frequency_cap")) {
            // the address is valid, and sending again soon will not help: the recipient asked not to be sent to, or had enough
            return SmppConstants.STATUS_SUBMITFAIL;
        }
        if (e.httpStatus() == 429 || e.httpStatus() == 503) {
            return SmppConstants.STATUS_THROTTLED;
        }
        String f = e.field() == null ? "" : e.field();
        return switch (f) {
            case "to" -> SmppConstants.STATUS_INVDSTADR;
            case "from" -> SmppConstants.STATUS_INVSRCADR;
            case "text" -> SmppConstants.STATUS_INVMSGLEN;
            case "esm_class" -> SmppConstants.STATUS_INVESMCLASS;
            case "data_coding" -> SmppConstants.STATUS_INVDCS;
            case "validity" -> SmppConstants.STATUS_INVEXPIRY;
            case "send_at" -> SmppConstants.STATUS_INVSCHED;
            default -> SmppConstants.STATUS_SUBMITFAIL;
        };
    }
}
