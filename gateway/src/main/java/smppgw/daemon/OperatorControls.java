package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;

import smppgw.dispatch.Dispatcher;

/** The admin's pause, resume and drain of an operator (false: no such operator). */
record OperatorControls(Map<String, Dispatcher> dispatchers, Set<String> draining) {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    boolean pause(String operator) {
        Dispatcher d = dispatchers.get(operator);
        if (d == null) {
            return false;
        }
        d.pause(true);
        LOG.info("[op:{}] paused (admin)", operator);
        return true;
    }

    boolean resume(String operator) {
        Dispatcher d = dispatchers.get(operator);
        if (d == null) {
            return false;
        }
        draining.remove(operator);
        d.pause(false);
        LOG.info("[op:{}] resumed (admin)", operator);
        return true;
    }

    boolean drain(String operator) {
        if (!dispatchers.containsKey(operator)) {
            return false;
        }
        draining.add(operator);
        dispatchers.get(operator).pause(false);
        LOG.info("[op:{}] draining (admin): no new messages, backlog {} going out", operator, dispatchers.get(operator).backlog());
        return true;
    }
}
