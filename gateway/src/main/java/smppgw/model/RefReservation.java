package smppgw.model;

/**
 * A {@code client_ref} held for one message in a sharded group (docs/cluster.md § Idempotency across recipients): kept
 * by the core of the reference's shard ({@code Shards.ofCode(client + "/" + client_ref)}) while the message is decided by
 * its recipient's, so the reference reused for another recipient, whose shard differs, is refused as it is on one
 * gateway. {@code fingerprint} stands for the message's sender and text; {@code released}: given back after the
 * recipient's core refused the message (opted out, over the cap), so the reference may name another message.
 *
 * @param client the client, or null without client authentication
 */
public record RefReservation(String client, String clientRef, String to, String fingerprint, boolean released) {
    /** What the state keeps for a held reference: the recipient and the fingerprint. */
    public String held() {
        return to + '\u0000' + fingerprint;
    }

    /** The same reservation given back. */
    public RefReservation release() {
        return new RefReservation(client, clientRef, to, fingerprint, true);
    }
}
