package smppgw.protocol;

/** Where a part of a concatenated message belongs: reference, number of parts, this part's number (from 1). */
public record Concat(int ref, int parts, int seq) {
}
