// The trusted end of a Java program's own tests (MultiPL-E, HumanEval-X). Compiled with the
// program and started in place of its main class (the jar's Program-Class), it reads the run's
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
            program = jar.getManifest().getMainAttributes().getValue("Program-Class");
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
