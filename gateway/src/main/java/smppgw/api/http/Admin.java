package smppgw.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the admin API can see and do in the running gateway. */
public interface Admin {
    /** Binds, backlog, rates and flags per operator; store; integrators. */
    ObjectNode status();

    /** Stops sending to the operator (in-flight submits finish; intake still queues). False if unknown. */
    boolean pause(String operator);

    /** Sends again, and takes new messages again after a drain. */
    boolean resume(String operator);

    /** Refuses new messages for the operator while its backlog goes out. */
    boolean drain(String operator);

    /** The answer to an operator control: the operator as the status tells it. */
    default com.fasterxml.jackson.databind.JsonNode operatorStatus(String operator) {
        return status().get("operators").get(operator);
    }

    /**
     * Re-reads the configuration file and applies it; returns the settings that changed.
     *
     * @throws smppgw.config.ConfigException the file is not valid: nothing changed
     * @throws smppgw.config.ReloadRefusedException it changes settings only a restart applies: nothing changed
     */
    java.util.List<String> reload();
}
