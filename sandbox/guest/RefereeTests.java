// The trusted end of a JVM program's own tests (Java, Kotlin, Scala: MultiPL-E, HumanEval-X). Built
// into the program's jar and started in place of its main class (the jar's Main-Class), it reads the run's
// token ("<end function> <secret>", its whole stdin) before any of the program's classes load, runs the
// program's main (its tests), and prints the secret only if main returns: System.exit,
// Runtime.halt, an uncaught throwable (a failed assert: the run has -ea) or a kill never print it.
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarFile;

final class RefereeTests {
    public static void main(String[] args) throws Throwable {
        String secret;
        String[] token = new String(System.in.readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        secret = token[token.length - 1];
        PrintStream out = System.out;
        String program;
        try (JarFile jar = new JarFile(args[0])) {
            program = jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
        Method main = Class.forName(program).getDeclaredMethod("main", String[].class);
        main.setAccessible(true);
        try {
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        System.out.flush();
        out.print("\n" + secret + "\n");
        out.flush();
    }
}
