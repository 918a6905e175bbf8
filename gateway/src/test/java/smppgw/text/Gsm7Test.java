package smppgw.text;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Gsm7Test {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void septetCountsFollowTheDefaultAlphabetAndExtensionTable() {
        assertEquals(17, Gsm7.septets("Bonjour à tous é!"));
        assertEquals(2, Gsm7.septets("€"));
        assertEquals(9 * 2, Gsm7.septets("€[]{}|^~\\"));
        assertEquals(-1, Gsm7.septets("fête"), "ê is not in GSM 03.38");
        assertEquals(-1, Gsm7.septets("ç"), "only the capital Ç is");
        assertEquals(1, Gsm7.septets("Ç"));
        assertEquals(-1, Gsm7.septets("😀"));
        assertEquals(1, Gsm7.septets("$"));
        assertEquals(1, Gsm7.septets("¤"));
    }

    @Test
    void unpackedGoldenBytes() {
        assertEquals("000102", HEX.formatHex(Gsm7.encode("@£$")));
        assertEquals("1B65", HEX.formatHex(Gsm7.encode("€")));
        assertEquals("1B3C1B3E", HEX.formatHex(Gsm7.encode("[]")));
        assertEquals("4142617A7F", HEX.formatHex(Gsm7.encode("ABazà")));
        assertEquals("0405060709", HEX.formatHex(Gsm7.encode("èéùìÇ")));
    }

    @Test
    void packedGoldenBytesFromTheLiterature() {
        // "hellohello" packed, the worked example of GSM 03.38 packing
        assertEquals("E8329BFD4697D9EC37", HEX.formatHex(Gsm7.pack(Gsm7.encode("hellohello"), 0)));
        assertEquals("E8329BFD06", HEX.formatHex(Gsm7.pack(Gsm7.encode("hello"), 0)));
        // eight septets fill exactly seven bytes
        assertEquals(7, Gsm7.pack(Gsm7.encode("12345678"), 0).length);
    }

    @Test
    void randomRoundTrips() {
        Random r = new Random(42);
        String alphabet = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà€[]{}|^~\\\f";
        for (int n = 0; n < 2000; n++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(200);
            for (int i = 0; i < len; i++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = b.toString();
            byte[] septets = Gsm7.encode(s);
            assertEquals(Gsm7.septets(s), septets.length);
            assertEquals(s, Gsm7.decode(septets));
            for (int fill = 0; fill < 7; fill++) {
                assertArrayEquals(septets, Gsm7.unpack(Gsm7.pack(septets, fill), septets.length, fill), "fill " + fill);
            }
        }
    }
}
