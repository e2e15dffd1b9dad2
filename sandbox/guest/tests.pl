# The trusted end of a Perl program's own tests (MultiPL-E): run as `perl tests.pl main.pl`,
# where main.pl is the program, its tests, then a call of the run's end function. The run's
# token ("<end function> <secret>", its whole stdin) is read before the program loads;
# the secret lives in this file's lexical scope. It is printed only if the file reached its end
# and returned without dying: exit, die, a return that skips the tests, or a kill never print it.
use strict;
use warnings;

my ($end, $secret) = do {
    local $/;
    split " ", <STDIN> // "";
};
my $ended = 0;
{
    no strict "refs";
    *{"main::$end"} = sub { $ended = 1; return; };
}
my $program = "./" . $ARGV[0];
@ARGV = ();
my $ok = do {
    package main;
    no strict;
    no warnings;
    do $program;
    !$@;
};
if (!$ok) {
    print STDERR $@;
    exit 1;
}
exit 1 unless $ended;
$| = 1;
print STDOUT "\n$secret\n";
