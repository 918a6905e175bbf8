package smppgw.store;

import smppgw.model.Message;

/** Told when a message becomes READ (its first READ event). Called on the store's journal thread: keep it short. */
@FunctionalInterface
public interface ReadListener {
    void read(Message message, String via, long millisSinceAccepted);
}
