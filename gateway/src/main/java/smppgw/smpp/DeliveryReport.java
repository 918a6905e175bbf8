package smppgw.smpp;

/**
 * A delivery receipt read from a deliver_sm or data_sm.
 *
 * @param smscId     the SMSC message id the receipt is about
 * @param stat       the seven-letter SMPP state (DELIVRD, UNDELIV, ...), upper case
 * @param err        the err field, or the network_error_code TLV, or null
 * @param submitDate epoch ms read as UTC (SMSCs do not say their zone), or null
 * @param doneDate   epoch ms read as UTC, or null
 * @param handset    the deliver_sm's source address: the number the message went to, or null
 */
public record DeliveryReport(String smscId, String stat, String err, Long submitDate, Long doneDate, String handset) {
    public DeliveryReport(String smscId, String stat, String err, Long submitDate, Long doneDate) {
        this(smscId, stat, err, submitDate, doneDate, null);
    }

    public DeliveryReport withHandset(String h) {
        return new DeliveryReport(smscId, stat, err, submitDate, doneDate, h == null || h.isEmpty() ? null : h);
    }
}
