package smppgw.text;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smppgw.text.Segments.Concatenation.UDH16;
import static smppgw.text.Segments.Concatenation.UDH8;

class SegmentsTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private static List<Integer> gsmSizes(String s, Segments.Concatenation c) {
        return Segments.split(s, true, c).stream().map(Gsm7::septets).toList();
    }

    @Test
    void gsmBoundaries() {
        assertEquals(List.of(160), gsmSizes("a".repeat(160), UDH8));
        assertEquals(List.of(153, 8), gsmSizes("a".repeat(161), UDH8));
        assertEquals(List.of(153, 153), gsmSizes("a".repeat(306), UDH8));
        assertEquals(List.of(153, 153, 1), gsmSizes("a".repeat(307), UDH8));
        assertEquals(List.of(152, 9), gsmSizes("a".repeat(161), UDH16));
        assertEquals(153, Segments.perPart(true, UDH8));
        assertEquals(152, Segments.perPart(true, UDH16));
    }

    @Test
    void anExtensionCharacterIsNeverSplitFromItsEscape() {
        // 152 plain septets then '€' (2 septets): the euro would straddle 153, so it opens part 2
        String s = "a".repeat(152) + "€" + "b".repeat(10);
        List<String> parts = Segments.split(s, true, UDH8);
        assertEquals(List.of(152, 12), parts.stream().map(Gsm7::septets).toList());
        assertTrue(parts.get(1).startsWith("€"));
        // exactly 160 septets with extension characters is still one part
        assertEquals(1, Segments.count("a".repeat(158) + "€", true, UDH8));
        assertEquals(2, Segments.count("a".repeat(159) + "€", true, UDH8));
    }

    @Test
    void ucs2BoundariesAndSurrogatePairs() {
        assertEquals(1, Segments.count("ê".repeat(70), false, UDH8));
        assertEquals(List.of(67, 4), Segments.split("ê".repeat(71), false, UDH8).stream().map(String::length).toList());
        assertEquals(List.of(66, 5), Segments.split("ê".repeat(71), false, UDH16).stream().map(String::length).toList());
        // 66 units then an emoji (2 units): it does not fit in 67, so it opens part 2 whole
        String s = "ê".repeat(66) + "😀" + "ê".repeat(10);
        List<String> parts = Segments.split(s, false, UDH8);
        assertEquals(66, parts.get(0).length());
        assertTrue(parts.get(1).startsWith("😀"));
        assertEquals(67, Segments.perPart(false, UDH8));
    }

    @Test
    void udhGoldenBytes() {
        assertEquals("050003A70301", HEX.formatHex(Segments.udh(UDH8, 0xA7, 3, 1)));
        assertEquals("060804BEEF0203", HEX.formatHex(Segments.udh(UDH16, 0xBEEF, 2, 3)));
    }

    @Test
    void packedBodyAfterASixByteHeaderStartsWithOneFillBit() {
        byte[] header = Segments.udh(UDH8, 1, 2, 1);
        byte[] body = Segments.body(header, "hello", true, true);
        // 48 header bits + 1 fill bit = 49 = 7 septets: "hello" packed shifted by one bit
        assertEquals("050003010201" + "D06536FB0D", HEX.formatHex(body));
        assertEquals("hello", Gsm7.decode(Gsm7.unpack(java.util.Arrays.copyOfRange(body, 6, body.length), 5, 1)));
    }

    @Test
    void randomSplitsJoinBackToTheInput() {
        Random r = new Random(7);
        String gsmChars = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789éèàù€[]{}|^~\\";
        String ucsChars = "aêîôûç€😀🇫🇷文字";
        for (int n = 0; n < 3000; n++) {
            boolean gsm = n % 2 == 0;
            int[] alphabet = (gsm ? gsmChars : ucsChars).codePoints().toArray();
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(700);
            for (int i = 0; i < len; i++) {
                b.appendCodePoint(alphabet[r.nextInt(alphabet.length)]);
            }
            String s = b.toString();
            if (!gsm && Gsm7.septets(s) >= 0) {
                s = s + "ê";
            }
            Segments.Concatenation c = n % 3 == 0 ? UDH16 : UDH8;
            List<String> parts = Segments.split(s, gsm, c);
            assertEquals(s, String.join("", parts));
            int per = Segments.perPart(gsm, c);
            for (String p : parts) {
                int units = gsm ? Gsm7.septets(p) : p.length();
                assertTrue(parts.size() == 1 ? units <= (gsm ? 160 : 70) : units <= per, "part of " + units);
                assertTrue(p.isEmpty() || !Character.isLowSurrogate(p.charAt(0)), "a part never starts inside a surrogate pair");
            }
        }
    }
}
