# The trusted end of a Bash program's own tests (MultiPL-E): run as `bash tests.sh main.sh`,
# where main.sh is the program, its tests, then a call of the run's end function. The run's token
# ("<end function> <secret>", its whole stdin) is read before the program is sourced; the
# end function prints the secret and exits 0. `exit`, a failed test under the tests' `set -e`, a
# top-level return that skips the tests, or a kill never reach it. (The program shares this shell:
# see docs/SANDBOX.md for what a shell cannot keep from it.)
read -r __referee_end __referee_secret
exec 0</dev/null
eval "${__referee_end}() { printf '\n%s\n' \"${__referee_secret}\"; exit 0; }"
unset __referee_end __referee_secret
source "./$1"
exit 1  # the file ended before its end function ran
