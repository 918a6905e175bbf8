package smppgw.store.chronicle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import smppgw.model.Consent;
import smppgw.model.OptOut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A state database of a version with one suppression list, opened by this one: nothing is lost, each entry finds its list. */
class SingleListMigrationTest {
    @TempDir
    Path dir;

    @Test
    void entriesOfTheSingleListMoveToTheClientsListOrTheGateways() throws Exception {
        try (StateDb db = new StateDb(dir)) { // write the old layout: key = number, value = the OptOut
            db.db.put(db.optOuts, Codec.utf8("+33600000001"), Codec.write(new OptOut("+33600000001", true, 5, "mo", "STOP", "36111")));
            db.db.put(db.optOuts, Codec.utf8("+33600000002"), Codec.write(new OptOut("+33600000002", true, 6, "api", "acme", null)));
        }
        try (StateDb db = new StateDb(dir)) {
            Consent stop = db.consent(null, "+33600000001");
            assertTrue(stop.optedOut());
            assertEquals("mo", stop.origin());
            assertEquals(5, stop.since());
            assertEquals(List.of("36111"), stop.senders());
            assertTrue(db.consent("acme", "+33600000002").optedOut());
            assertNull(db.consent(null, "+33600000002"));
            assertEquals(1, db.optOuts(null, null, 10).size());
            assertEquals(2, db.optOuts(smppgw.store.MessageStore.ALL_LISTS, null, 10).size());
        }
    }
}
