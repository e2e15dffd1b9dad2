<?php
// The trusted end of a PHP program's own tests (MultiPL-E): run as `php tests.php main.php`,
// where main.php is the program, its tests, then a call of the run's end function. The run's
// token ("<end function> <secret>", its whole stdin) is read before the program loads;
// the end function prints the secret. exit()/die, an uncaught error, a top-level return that
// skips the tests, or a kill never reach it.
final class RefereeTests
{
    private static string $secret = "";

    public static function start(): string
    {
        [$end, self::$secret] = explode(" ", trim((string) stream_get_contents(STDIN))) + ["", ""];
        return $end;
    }

    public static function end(): void
    {
        fflush(STDOUT);
        echo "\n", self::$secret, "\n";
        fflush(STDOUT);
    }
}

eval("function " . RefereeTests::start() . "(): void { RefereeTests::end(); }");
(static function (string $program): void {
    require $program;
})($argv[1]);
