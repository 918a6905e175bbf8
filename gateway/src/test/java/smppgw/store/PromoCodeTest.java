package smppgw.store;

import smppgw.model.AcceptResult;
import smppgw.model.Event;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;
import smppgw.model.Promo;
import smppgw.model.Redemption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Promo codes: unique per message even from a small code space; redeemed once, under concurrency and across restarts. */
class PromoCodeTest {
    @TempDir
    Path dir;

    private ChronicleMessageStore open() {
        return ChronicleMessageStore.open(dir, List.of("op"), Duration.ofHours(1), 64, 1024, Clock.systemUTC(), new StateLog(true, false));
    }

    private static NewMessage promo(String client, Promo p) {
        return NewMessage.of("op", client, "36111", "+33611111111", "-20% avec le code {promo} (code {promo})")
                .messageClass(Message.PROMOTIONAL).promo(p).build();
    }

    private static String code(ChronicleMessageStore s, String id) {
        return s.find(id).orElseThrow().message().promoCode();
    }

    @Test
    void everyMessageGetsItsOwnCodeInPlaceOfThePlaceholder() {
        Promo tiny = new Promo("ABCDEFGHJK", 4); // 10,000 codes: 2,000 random draws would repeat without the check
        try (ChronicleMessageStore s = open()) {
            Set<String> codes = new HashSet<>();
            for (int batch = 0; batch < 20; batch++) {
                List<NewMessage> ms = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    ms.add(promo("acme", tiny));
                }
                for (AcceptResult r : s.accept(ms).join()) {
                    String c = code(s, r.id());
                    assertTrue(c.matches("[A-HJK]{4}"), c);
                    assertTrue(codes.add(c), "code issued twice: " + c);
                    assertEquals("-20% avec le code " + c + " (code " + c + ")", s.find(r.id()).orElseThrow().message().text());
                }
            }
        }
    }

    @Test
    void aShardsCoreIssuesOnlyCodesOfItsShardSoCodesAreUniqueInTheGroup() {
        Promo ofShard = new Promo("ABCDEFGHJK", 5, 2, 3); // a third of the 100,000 codes are shard 2's
        try (ChronicleMessageStore s = open()) {
            List<NewMessage> ms = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ms.add(promo("acme", ofShard));
            }
            Set<String> codes = new HashSet<>();
            for (AcceptResult r : s.accept(ms).join()) {
                String c = code(s, r.id());
                assertEquals(2, smppgw.route.Shards.ofCode(c, 3), c);
                assertTrue(codes.add(c), "code issued twice: " + c);
            }
        }
    }

    @Test
    void aCodeRedeemsOnceEvenWhenTwentyTryAtOnceAndStaysRedeemedAfterARestart() {
        Promo p = new Promo("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 8);
        String id;
        String c;
        try (ChronicleMessageStore s = open()) {
            id = s.accept(List.of(promo("acme", p))).join().get(0).id();
            c = code(s, id);
            assertEquals(Redemption.Outcome.UNKNOWN, s.redeem(c, "other-client").join().outcome(), "another client's code");
            assertEquals(Redemption.Outcome.UNKNOWN, s.redeem("NOSUCHCD", null).join().outcome());
            List<CompletableFuture<Redemption>> tries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tries.add(s.redeem(c, "acme"));
            }
            List<Redemption> outcomes = tries.stream().map(CompletableFuture::join).toList();
            assertEquals(1, outcomes.stream().filter(r -> r.outcome() == Redemption.Outcome.REDEEMED).count());
            assertEquals(19, outcomes.stream().filter(r -> r.outcome() == Redemption.Outcome.ALREADY).count());
            MessageView v = s.find(id).orElseThrow();
            assertEquals(MessageState.READ, v.state());
            Event read = v.events().get(v.events().size() - 1);
            assertEquals("code", read.via());
            assertEquals(c, read.reason());
        }
        try (ChronicleMessageStore s = open()) {
            Redemption again = s.redeem(c, null).join();
            assertEquals(Redemption.Outcome.ALREADY, again.outcome());
            assertEquals(id, again.messageId());
        }
    }
}
