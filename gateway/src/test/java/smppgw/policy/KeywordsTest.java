package smppgw.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import smppgw.config.ComplianceConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeywordsTest {
    private final Keywords defaults = new Keywords(ComplianceConfig.DEFAULT_OPT_OUT, ComplianceConfig.DEFAULT_OPT_IN);

    @Test
    void caseAccentsPunctuationAndSpacesDoNotMatter() {
        assertEquals(new Keywords.Match("STOP", true), defaults.match("stop"));
        assertEquals(new Keywords.Match("STOP", true), defaults.match("  Stop !"));
        assertEquals(new Keywords.Match("ARRET", true), defaults.match("Arrêt"));
        assertEquals(new Keywords.Match("ARRET", true), defaults.match("ARRÊT."));
        assertEquals(new Keywords.Match("DESABONNER", true), defaults.match("désabonner"));
        assertEquals(new Keywords.Match("STOP SMS", true), defaults.match("stop   sms"));
        assertEquals(new Keywords.Match("OPTOUT", true), defaults.match("OptOut"));
        assertEquals(new Keywords.Match("START", false), defaults.match("Start"));
        assertEquals(new Keywords.Match("UNSTOP", false), defaults.match("unstop!"));
    }

    @Test
    void aSentenceThatBeginsWithOrContainsAKeywordIsAReplyNotAnOptOut() {
        assertNull(defaults.match("Cancel my appointment please"));
        assertNull(defaults.match("STOP please, no more"));
        assertNull(defaults.match("Stop, merci"));
        assertNull(defaults.match("End of story"));
        assertNull(defaults.match("stopper"));
        assertNull(defaults.match("please stop"));
        assertNull(defaults.match("OUI"));
        assertNull(defaults.match("!!!"));
        assertNull(defaults.match(""));
        assertNull(defaults.match(null));
    }

    @Test
    void aKeywordMayBeFollowedOnlyByTheShortCodeItWasSentToOrTheClientsName() {
        List<String> q = List.of("36111", "acme");
        assertEquals(new Keywords.Match("ARRET", true), defaults.match("ARRET 36111", q));
        assertEquals(new Keywords.Match("STOP", true), defaults.match("STOP ACME", q));
        assertEquals(new Keywords.Match("STOP", true), defaults.match("Stop.", q));
        assertEquals(new Keywords.Match("STOP SMS", true), defaults.match("stop sms 36111", q));
        assertEquals(new Keywords.Match("START", false), defaults.match("start acme!", q));
        assertNull(defaults.match("STOP 36222", q), "another short code");
        assertNull(defaults.match("STOP GLOBEX", q), "another client's name");
        assertNull(defaults.match("ARRET 36111", List.of()), "nothing may follow a keyword unless it names the sender");
        assertNull(defaults.match("36111 STOP", q));
        assertNull(defaults.match("Cancel my appointment please", q));
    }

    @Test
    void aTextMentionsOptOutWhenAKeywordStandsAsWholeWordsAnywhere() {
        assertTrue(defaults.mentionsOptOut("Soldes -50%. STOP au 36111"));
        assertTrue(defaults.mentionsOptOut("Répondez arrêt pour ne plus recevoir"));
        assertTrue(defaults.mentionsOptOut("stop sms: 36111"));
        assertFalse(defaults.mentionsOptOut("Soldes -50% ce week-end"));
        assertFalse(defaults.mentionsOptOut("Nonstop deals, unstoppable prices"));
        assertFalse(defaults.mentionsOptOut("START now"), "an opt-in keyword is not an opt-out instruction");
        assertFalse(defaults.mentionsOptOut("Until the END of the month, cancel anytime"), "ordinary words are no instruction");
    }

    @Test
    void configuredListsReplaceTheDefaults() {
        Keywords k = new Keywords(List.of("Basta"), List.of("Reprendre"));
        assertEquals(new Keywords.Match("BASTA", true), k.match("basta"));
        assertEquals(new Keywords.Match("REPRENDRE", false), k.match("REPRENDRE"));
        assertNull(k.match("STOP"));
        assertEquals("ARRET SMS", Keywords.normalise("  arrêt-sms "));
    }
}
