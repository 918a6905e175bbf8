package smppgw.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import smppgw.model.Event;
import smppgw.protocol.CommandStatus;
import smppgw.smpp.BindSession;
import smppgw.smpp.SubmitCallback;

/**
 * What becomes of each attempt of a dispatcher's message parts: SUBMITTED, a retry after a transient error or an
 * unknown outcome (no answer in time, the bind lost), FAILED or EXPIRED, and what a late answer to an expired attempt
 * changes. A part is settled once, whichever attempt's answer comes first ({@link Flight.Fate}).
 */
final class Outcomes {
    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);
    private final Dispatcher d;

    Outcomes(Dispatcher d) {
        this.d = d;
    }

    SubmitCallback callback(Flight f, long sentAt) {
        return new Callback(f, sentAt);
    }

    private final class Callback implements SubmitCallback {
        private final Flight flight;
        private final long sentAt;

        Callback(Flight flight, long sentAt) {
            this.flight = flight;
            this.sentAt = sentAt;
        }

        @Override
        public void onResponse(int status, String smscId, String bind) {
            d.inFlight.decrementAndGet();
            d.metrics.submitResponses.labelValues(d.config.name(), CommandStatus.label(status)).inc();
            d.metrics.submitLatency.labelValues(d.config.name()).observe((System.nanoTime() - sentAt) / 1e9);
            if (status == 0) {
                submittedOk(flight, smscId, bind);
            } else if (flight.fate.settled()) {
                LOG.debug("[msg:{}] [op:{}] {} for an attempt already settled by a late answer", flight.entry.message().id(),
                        d.config.name(), CommandStatus.describe(status));
            } else if (CommandStatus.isRetryable(status)) {
                if (RateControl.isThrottling(status)) {
                    d.throttled.incrementAndGet();
                    d.rates.throttled();
                }
                retryOrFail(flight, status, CommandStatus.describe(status), -1);
            } else {
                fail(flight, status, CommandStatus.describe(status));
            }
        }

        /** Outcome unknown: the SMSC may have it. A retry waits its back-off, and a bind heard from since. */
        @Override
        public void onNoResponse(String reason, String bind) {
            d.inFlight.decrementAndGet();
            d.metrics.submitsUnanswered.labelValues(d.config.name()).inc();
            retryOrFail(flight, null, reason + " on " + bind, BindSession.now());
        }

        /**
         * What really happened to an attempt that had d.expired. Taken: the part is SUBMITTED with this SMSC id (its receipt
         * then matches), and the retry waiting for it is dropped; if the retry already went, the SMSC has it twice and
         * both ids are recorded. Refused for good before any retry went: FAILED, as if on time. Otherwise the retry decides.
         */
        @Override
        public void onLateResponse(int status, String smscId, String bind) {
            d.metrics.lateResponses.labelValues(d.config.name(), status == 0 ? "ok" : "error").inc();
            if (status == 0) {
                LOG.debug("[msg:{}] [op:{}] [bind:{}] submit_sm_resp for attempt {} came after the timeout: taken after all{}",
                        flight.entry.message().id(), d.config.name(), bind, flight.attempt, flight.fate.resent ? " (it was sent again meanwhile)" : "");
                submittedOk(flight, smscId, bind);
            } else if (!flight.fate.settled() && !flight.fate.resent && !CommandStatus.isRetryable(status)) {
                fail(flight, status, CommandStatus.describe(status) + " (answered after the timeout)");
            }
        }
    }

    /** The SMSC took this attempt: the part is SUBMITTED, unless another attempt already settled it (then it has it twice). */
    private void submittedOk(Flight flight, String smscId, String bind) {
        String id = flight.entry.message().id();
        Event ev = flight.of(Event.submitted(d.clock.millis(), flight.attempt, smscId == null ? "" : smscId, bind));
        if (flight.fate.settle()) {
            if (record(id, ev)) {
                d.submitted.incrementAndGet();
                d.partResolved(flight);
            }
        } else {
            d.metrics.duplicatesConfirmed.labelValues(d.config.name()).inc();
            LOG.warn("[msg:{}] [op:{}] the SMSC took attempt {} too: it has this part twice", id, d.config.name(), flight.attempt);
            record(id, ev); // its receipt must find the message too
        }
    }

    private void retryOrFail(Flight f, Integer status, String reason, long unknownSince) {
        int failures = f.failures + (RateControl.isThrottling(status) ? 0 : 1);
        if (failures >= d.config.retry().maxAttempts()) {
            fail(f, status, "gave up after " + f.attempt + " attempts: " + reason);
            return;
        }
        long now = d.clock.millis();
        long delay = d.backoff.delayMs(f.attempt + 1);
        if (unknownSince >= 0) { // a slow SMSC answers late rather than never: give the answer a chance before sending again
            delay = Math.max(delay, d.config.binds().stream().mapToLong(b -> b.responseTimeout().toMillis()).max().orElse(0));
        }
        Long expiresAt = f.entry.message().expiresAt();
        if (expiresAt != null && now + delay > expiresAt) {
            expire(f, "validity ends before the next attempt: " + reason);
            return;
        }
        String id = f.entry.message().id();
        if (record(id, f.of(Event.retry(now, f.attempt, status, reason + "; attempt " + (f.attempt + 1) + " in " + delay + " ms")))) {
            d.retried.incrementAndGet();
            d.inbox.add(f.again(failures, now + delay, unknownSince));
            d.wake();
        }
    }

    void fail(Flight f, Integer status, String reason) {
        if (f.fate.settle() && record(f.entry.message().id(), f.of(Event.failed(d.clock.millis(), f.attempt, status, reason)))) {
            d.failed.incrementAndGet();
            d.partResolved(f);
        }
    }

    void expire(Flight f, String reason) {
        if (f.fate.settle() && record(f.entry.message().id(), f.of(Event.expired(d.clock.millis(), f.attempt, reason)))) {
            d.expired.incrementAndGet();
            d.partResolved(f);
        }
    }

    /** Journals an event; false if the store refused it (the message then stays unresolved for a restart). */
    private boolean record(String id, Event e) {
        try {
            d.store.record(id, d.config.name(), e);
            return true;
        } catch (RuntimeException ex) {
            LOG.error("[msg:{}] [op:{}] cannot record {}: {}", id, d.config.name(), e.type(), ex.getMessage());
            return false;
        }
    }
}
