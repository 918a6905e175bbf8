package smppgw.intake;

import smppgw.text.Gsm7;

/** A request's fields that are one of a few words: read, or refused naming the field. */
final class RequestFields {
    private RequestFields() {
    }

    /** {@code transactional} (the default, stored as null), {@code promotional} or {@code conversational}. */
    static String messageClass(String c) {
        if (c == null || c.equals(smppgw.model.Message.TRANSACTIONAL)) {
            return null;
        }
        if (c.equals(smppgw.model.Message.PROMOTIONAL) || c.equals(smppgw.model.Message.CONVERSATIONAL)) {
            return c;
        }
        throw InvalidRequestException.field("class", "class '" + c + "' is not one of transactional, promotional, conversational");
    }

    /** The encoding asked for: null (auto), gsm7 (refused if a character does not fit) or ucs2. */
    static String encoding(Intake.Request r) {
        String e = r.encoding();
        if (e == null || e.equals("auto")) {
            return null;
        }
        if (e.equals("gsm7") || e.equals("gsm")) {
            if (Gsm7.septets(r.text()) < 0) {
                String bad = r.text().codePoints().filter(cp -> cp > 0xFFFF || Gsm7.septets((char) cp) < 0).limit(3)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
                throw InvalidRequestException.field("encoding", "encoding gsm7 cannot carry these characters of the text: " + bad
                        + " (use ucs2 or auto)");
            }
            return "gsm7";
        }
        if (e.equals("ucs2")) {
            return "ucs2";
        }
        throw InvalidRequestException.field("encoding", "encoding '" + e + "' is not one of auto, gsm7, ucs2");
    }
}
