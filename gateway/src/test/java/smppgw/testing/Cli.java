package smppgw.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;

/** Runs the {@code smppgw} command line in this JVM: exit code and everything it printed (stdout and stderr). */
public final class Cli {
    private Cli() {
    }

    public static synchronized Map.Entry<Integer, String> run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true);
        System.setOut(p);
        System.setErr(p);
        try {
            int code = new picocli.CommandLine(new smppgw.cli.Main()).execute(args);
            return Map.entry(code, buf.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
