/* The trusted end of a program's own tests, for languages whose programs start from C's main
 * (C, C++, D, Rust). Linked in with -Wl,--wrap=__libc_start_main, it reads the run's token
 * ("<end function> <secret>", the run's whole stdin) before any of the program's code runs, its
 * static constructors included, and prints the secret only when main returns 0: the
 * tests are main's body. A program that exits, aborts or is killed before its tests end
 * (exit(0) in a constructor, in the function under test, ...) never prints it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef int (*main_fn)(int, char **, char **);
int __real___libc_start_main(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);

static main_fn program_main;
static char secret[80];

static int tests_main(int argc, char **argv, char **envp) {
    int code = program_main(argc, argv, envp);
    if (code == 0 && secret[0]) {
        fflush(NULL);
        dprintf(1, "\n%s\n", secret);
    }
    return code;
}

int __wrap___libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                             void (*rtld_fini)(void), void *stack_end) {
    char token[160];
    ssize_t n = read(0, token, sizeof token - 1);
    token[n > 0 ? n : 0] = '\0';
    token[strcspn(token, "\n")] = '\0';
    const char *space = strrchr(token, ' ');
    snprintf(secret, sizeof secret, "%s", space ? space + 1 : "");
    program_main = main;
    return __real___libc_start_main(tests_main, argc, argv, init, fini, rtld_fini, stack_end);
}
