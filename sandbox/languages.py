"""The languages the image runs: the one registry.

Each entry names its Debian packages, its file name, its compile and run commands, and how its
programs run with their own tests; the image build (`image.PACKAGES`, the binaries a rootfs must
hold), `sandbox/Dockerfile` (rendered from it: `python -m sandbox.image --dockerfile`),
`ListLanguages`, `referee doctor` and the per-language tests all read it. Adding a language is
one entry here (and a trusted end in guest/ for a new family), the Dockerfile rendered again,
and its tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from sandbox.errors import UnsupportedLanguage

__all__ = ["LANGUAGES", "LIBRARIES", "PACKAGES", "PYJUDGE", "Language", "Tests", "language", "supported"]

RUN_DIR = "/work/run"
GUEST = "/opt/referee"  # the guest files (guest/*), readable by programs, writable by none
_BINARY = re.compile(r"(?<![\w/])/(?:usr/)?bin/[\w.+-]+")

# Java: the public class may have any name. javac wants it in a file of that name, so the build
# renames Main.java after the first public (else first) class it declares and packs the classes
# in a jar whose manifest names it: the run command stays one.
_CLASS = r"[A-Za-z_][A-Za-z0-9_]*"
_JAVA_LIBRARIES = "/usr/share/java/javatuples.jar"  # on the class path of every build and run
# The JVM compilers too: one GC thread and C1 alone halve their CPU time (kotlinc 4.4 → 2.4 s),
# which is what the compile limit counts (gVisor adds to it).
_JVM_TOOL = "-J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1"
_JAVA_BUILD = (
    f"c=$(grep -m1 -oE '(^|[[:space:]])public[[:space:]]+((final|abstract)[[:space:]]+)*class[[:space:]]+{_CLASS}' "
    "Main.java | awk '{print $NF}'); "
    f"[ -n \"$c\" ] || c=$(grep -m1 -oE '(^|[[:space:]])class[[:space:]]+{_CLASS}' Main.java | awk '{{print $NF}}'); "
    'c=${c:-Main}; [ "$c" = Main ] || mv Main.java "$c.java"; '
    f'/usr/bin/javac {_JVM_TOOL} -encoding UTF-8 -nowarn -cp .:{_JAVA_LIBRARIES} "$c.java" '
    f'&& printf "Main-Class: %s\\nClass-Path: file:{_JAVA_LIBRARIES}\\n" "$c" > manifest.txt '
    "&& /usr/bin/jar cfm main.jar manifest.txt *.class"
)
_JVM = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xss64m")
# With its own tests, the JVM languages start guest/RefereeTests (compiled into /opt/referee by
# the image build) in place of the program's class, which their jar's manifest names.
_KOTLIN_BUILD = f"/usr/bin/kotlinc {_JVM_TOOL} -nowarn main.kt -include-runtime -d main.jar"
# Scala: the first object is the program's (scalac puts it in the manifest), the library beside it.
_SCALA_LIBRARY = "/usr/share/scala-2.11/lib/scala-library.jar"
_SCALA_BUILD = (
    f"c=$(grep -m1 -oE '(^|[[:space:]])object[[:space:]]+{_CLASS}' main.scala | awk '{{print $NF}}'); "
    f'/usr/bin/scalac {_JVM_TOOL} -nowarn -d main.jar -Xmain-class "${{c:-Main}}" main.scala '
    f'&& printf "Class-Path: file:{_SCALA_LIBRARY}\\n" > classpath.txt && /usr/bin/jar ufm main.jar classpath.txt'
)
# Haskell: the tests' `main` becomes the end function, called by a main that reads the token first.
_HASKELL_END = (
    'main :: IO ()\nmain = getLine >>= \\token -> {end} >> putStrLn ("\\n" ++ last ("" : words token))'
)
# C, C++, D, Rust: guest/tests_native.c, linked in around C's main (see there).
_NATIVE_END = f"/usr/bin/gcc -O2 -c -o tests.o {GUEST}/tests_native.c"
_WRAP_MAIN = "-Wl,--wrap=__libc_start_main"
# Go: guest/tests_go.go's TestMain, in the program's package, beside its test file.
_GO_TESTS_BUILD = (
    "p=$(grep -m1 -oE '^[[:space:]]*package[[:space:]]+[A-Za-z_][A-Za-z0-9_]*' main_test.go | awk '{print $2}'); "
    f'sed "s/^package main$/package ${{p:-main}}/" {GUEST}/tests_go.go > referee_test.go && '
    "/usr/bin/env GOCACHE=/tmp/go-build GO111MODULE=off GOPATH=/usr/share/gocode /usr/bin/go test -c -o main.test ."
)


@dataclass(frozen=True, slots=True)
class Tests:
    """How a program runs with assert-style tests written in its own language (MultiPL-E,
    HumanEval-X, MBXP): prelude, program and tests in one file (see `assemble`), compiled and run
    once. It passes only if it exits 0 after the trusted end of its tests (guest/tests*) printed
    the run's secret, which the program never sees: an exit before the tests end fails.

    `end` is what follows the tests: a call of the run's end function (`{end}`: its per-run
    name), or "" where the end is the program's main returning. `rewrite` turns the tests' own
    exits into ones the program cannot mask (regex, replacement); `guard` is text put between
    the program and its tests, from both (C's macros). `needs` is what tests must hold to run
    anything at all, where a framework passes when it finds no test (`go test`): tests without
    it are refused as holding no test, never passed vacuously."""

    run: tuple[str, ...]
    compile: tuple[str, ...] | None = None  # None: the language's own
    filename: str = ""  # "": the language's own
    end: str = "{end}()"
    rewrite: tuple[tuple[str, str], ...] = ()
    guard: Callable[[str, str], str] | None = None
    needs: tuple[str, str] | None = None  # (regex the tests must match, what it is)


# Python's tests run in guest/pyjudge.py instead: one verdict per assert, each in its own process.
PYJUDGE = Tests(run=())

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEFINED = re.compile(r"\bdefine\s+([A-Za-z_][A-Za-z0-9_]*)")
_ASSERT_H = re.compile(r"#\s*include\s*[<\"](?:assert\.h|cassert|bits/stdc\+\+\.h)[>\"]")


def _c_macro_guard(program: str, tests: str) -> str:
    """A program could `#define assert(x)` or `#define candidate(...) 1` and pass any test: undo
    every macro it may have defined (any name after `define`, splices and comments aside) that
    the tests use, and bring assert back. The guard may land inside a function (MultiPL-E's tests
    open with the `}` that closes it): assert.h is included again only where it was already, as
    glibc's assert.h is made to be (it then only defines the macro)."""
    flat = re.sub(r"/\*.*?\*/", " ", program.replace("\\\n", ""), flags=re.S)
    used = set(_IDENTIFIER.findall(tests))
    names = sorted(used & set(_DEFINED.findall(flat)) | {"assert", "NDEBUG"})
    again = "#include <assert.h>\n" if _ASSERT_H.search(flat) else ""
    return "".join(f"#undef {n}\n" for n in names) + again


def _php_guard(program: str, tests: str) -> str:
    """The end call is PHP code: re-open PHP mode if the program's text left it (`?>`)."""
    text = program + tests
    return "<?php\n" if text.rfind("?>") > text.rfind("<?php") else ""


@dataclass(frozen=True, slots=True)
class Language:
    name: str
    filename: str
    run: tuple[str, ...]  # argv; argv[0] is an absolute path (the supervisor execs it directly)
    compile: tuple[str, ...] = ()  # empty: interpreted
    aliases: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()  # Debian 12 packages that bring its toolchain
    tests: Tests | None = None  # assert-style tests in the program's language; None: stdin/stdout only

    @property
    def kind(self) -> str:
        return "compiled" if self.compile else "interpreted"

    @property
    def function_tests(self) -> bool:
        return self.tests is not None

    def _harness(self) -> Tests:
        """How its programs run with their own tests (ValueError: Python's judge, or none)."""
        if self.tests is None or self.tests is PYJUDGE:
            raise ValueError(f"{self.name}: no tests harness")
        return self.tests

    def with_tests(self) -> Language:
        """This language as its programs run with their own tests (a different build and run)."""
        t = self._harness()
        return replace(
            self,
            filename=t.filename or self.filename,
            run=t.run,
            compile=self.compile if t.compile is None else t.compile,
        )

    def assemble(self, program: str, tests: str, end: str) -> str:
        """The file a program runs in with its tests, as MultiPL-E assembles it (prompt and
        completion, a newline, the tests), then the guard, rewrites and end call; `end` is the
        run's end function."""
        t = self._harness()
        for pattern, replacement in t.rewrite:
            tests = re.sub(pattern, replacement.replace("{end}", end), tests)
        guard = t.guard(program, tests) if t.guard else ""
        return f"{program}\n{guard}{tests}\n" + (t.end.replace("{end}", end) + "\n" if t.end else "")

    @property
    def binaries(self) -> tuple[str, ...]:
        """The toolchain's files its commands name (`/usr/bin/go` inside `env …`, `javac` in the
        Java build script): a rootfs without one of them lacks the language."""
        commands = (*self.compile, *self.run)
        if self.tests is not None:
            commands += (*(self.tests.compile or ()), *self.tests.run)
        return tuple(dict.fromkeys(_BINARY.findall(" ".join(commands))))


LANGUAGES = (
    Language(
        "python",
        "main.py",
        ("/usr/bin/python3", "-E", "main.py"),  # with site: dist-packages (numpy, …) on the path
        aliases=("py", "python3"),
        packages=("python3",),
        tests=PYJUDGE,
    ),
    Language("pypy", "main.py", ("/usr/bin/pypy3", "-E", "main.py"), aliases=("pypy3",), packages=("pypy3",)),
    Language(
        "c",
        "main.c",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/gcc", "-O2", "-std=gnu17", "-pipe", "-o", "main", "main.c", "-lm"),
        packages=("gcc", "libc6-dev"),
        tests=Tests(
            run=(f"{RUN_DIR}/main",),
            compile=(
                "/bin/sh",
                "-c",
                f"{_NATIVE_END} && /usr/bin/gcc -O2 -std=gnu17 -pipe -o main main.c tests.o -lm {_WRAP_MAIN}",
            ),
            end="",
            guard=_c_macro_guard,
        ),
    ),
    Language(
        "cpp",
        "main.cpp",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/g++", "-O2", "-std=gnu++17", "-pipe", "-o", "main", "main.cpp"),
        aliases=("c++", "cxx", "cc"),
        packages=("g++",),
        tests=Tests(
            run=(f"{RUN_DIR}/main",),
            compile=(
                "/bin/sh",
                "-c",
                f"{_NATIVE_END} && /usr/bin/g++ -O2 -std=gnu++17 -pipe -o main main.cpp tests.o {_WRAP_MAIN}",
            ),
            end="",
            guard=_c_macro_guard,
        ),
    ),
    Language(
        "javascript",
        "main.js",
        ("/usr/bin/node", "main.js"),
        aliases=("js", "node", "nodejs"),
        packages=("nodejs", "node-lodash"),
        tests=Tests(run=("/usr/bin/node", f"{GUEST}/tests.js", "main.js"), end="{end}();"),
    ),
    Language(
        "typescript",
        "main.ts",
        ("/usr/bin/node", "main.js"),
        # node-globals.d.ts: Node's globals (require, process), which Debian ships no types for
        (
            "/usr/bin/tsc",
            "--target",
            "es2020",
            "--module",
            "commonjs",
            "--lib",
            "es2020,dom",
            "--skipLibCheck",
            "--pretty",
            "false",
            "/opt/referee/node-globals.d.ts",
            "main.ts",
        ),
        aliases=("ts",),
        packages=("node-typescript",),
        tests=Tests(
            run=("/usr/bin/node", f"{GUEST}/tests.js", "main.js"), end='(globalThis as any)["{end}"]();'
        ),
    ),
    Language(
        "java",
        "Main.java",
        ("/usr/bin/java", *_JVM, "-jar", "main.jar"),
        ("/bin/sh", "-c", _JAVA_BUILD),
        packages=("openjdk-17-jdk-headless", "libjavatuples-java"),  # javatuples: MultiPL-E's prompts
        tests=Tests(
            run=(
                "/usr/bin/java",
                *_JVM,
                "-ea",
                "-cp",
                f"main.jar:{GUEST}:{_JAVA_LIBRARIES}",
                "RefereeTests",
                "main.jar",
            ),
            end="",
        ),
    ),
    Language(
        "go",
        "main.go",
        (f"{RUN_DIR}/main",),
        (
            "/usr/bin/env",
            "GOCACHE=/tmp/go-build",
            "GO111MODULE=off",
            "/usr/bin/go",
            "build",
            "-o",
            "main",
            "main.go",
        ),
        aliases=("golang",),
        packages=("golang-go", "golang-github-stretchr-testify-dev"),  # testify: HumanEval-X's tests
        tests=Tests(
            run=(f"{RUN_DIR}/main.test",),
            compile=("/bin/sh", "-c", _GO_TESTS_BUILD),
            filename="main_test.go",
            end="",
            needs=(r"(?m)^func\s+Test\w*\s*\(\s*\w+\s+\*testing\.T\s*\)", "a func TestXxx(t *testing.T)"),
        ),
    ),
    Language(
        "rust",
        "main.rs",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/rustc", "-O", "--edition", "2021", "-o", "main", "main.rs"),
        aliases=("rs",),
        packages=("rustc",),
        tests=Tests(
            run=(f"{RUN_DIR}/main",),
            compile=(
                "/bin/sh",
                "-c",
                # tests in #[test] functions (HumanEval-X: `cargo test`) run in libtest's main
                "t=; grep -q '#\\[test\\]' main.rs && t=--test; "
                f"{_NATIVE_END} && /usr/bin/rustc -O --edition 2021 $t -o main main.rs "
                f"-C link-arg={_WRAP_MAIN} -C link-arg=tests.o",
            ),
            end="",
            # a program's own `macro_rules! assert_eq` would shadow the prelude's in the tests
            rewrite=((r"(?<![\w:])(assert|assert_eq|assert_ne|panic|unreachable)!", r"::std::\1!"),),
            needs=(r"\bfn\s+main\b|#\[test\]", "a main or a #[test] function"),
        ),
    ),
    Language(
        "csharp",
        "main.cs",
        ("/usr/bin/mono", "main.exe"),
        (
            "/usr/bin/mcs",
            "-optimize+",
            "-nowarn:0168,0219",
            "-r:System.Numerics.dll",
            "-out:main.exe",
            "main.cs",
        ),
        aliases=("cs", "c#", "mono"),
        packages=("mono-mcs",),
        tests=Tests(
            run=("/usr/bin/mono", "main.exe"),
            compile=(
                "/usr/bin/mcs",
                "-d:DEBUG",
                "-optimize+",
                "-nowarn:0168,0219",
                "-r:System.Numerics.dll",
                "-main:RefereeTests",
                "-out:main.exe",
                "main.cs",
                f"{GUEST}/RefereeTests.cs",
            ),
            end="",
        ),
    ),
    Language(
        "d",
        "main.d",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/gdc", "-O2", "-o", "main", "main.d"),
        aliases=("dlang", "gdc"),
        packages=("gdc",),
        tests=Tests(  # unittest blocks run before main, with -funittest
            run=(f"{RUN_DIR}/main",),
            compile=(
                "/bin/sh",
                "-c",
                f"{_NATIVE_END} && /usr/bin/gdc -O2 -funittest -o main main.d tests.o {_WRAP_MAIN}",
            ),
            end="",
        ),
    ),
    Language(
        "bash",
        "main.sh",
        ("/bin/bash", "main.sh"),
        aliases=("sh", "shell"),
        packages=("bash",),
        tests=Tests(run=("/bin/bash", f"{GUEST}/tests.sh", "main.sh"), end="{end}"),
    ),
    Language(
        "ruby",
        "main.rb",
        ("/usr/bin/ruby", "main.rb"),
        aliases=("rb",),
        packages=("ruby", "ruby-test-unit"),  # test/unit: MultiPL-E's tests
        tests=Tests(run=("/usr/bin/ruby", f"{GUEST}/tests.rb", "main.rb"), end="{end}"),
    ),
    Language(
        "php",
        "main.php",
        ("/usr/bin/php", "-n", "main.php"),
        packages=("php-cli",),
        tests=Tests(
            run=("/usr/bin/php", "-n", f"{GUEST}/tests.php", "main.php"), end="{end}();", guard=_php_guard
        ),
    ),
    Language(
        "perl",
        "main.pl",
        ("/usr/bin/perl", "main.pl"),
        aliases=("pl",),
        packages=("perl", "libtest-deep-perl"),  # Test::Deep: MultiPL-E's tests
        tests=Tests(run=("/usr/bin/perl", f"{GUEST}/tests.pl", "main.pl"), end="{end}();"),
    ),
    Language(
        "lua",
        "main.lua",
        ("/usr/bin/lua5.4", "main.lua"),
        packages=("lua5.4", "lua-unit"),  # luaunit: MultiPL-E's tests
        tests=Tests(
            run=("/usr/bin/lua5.4", f"{GUEST}/tests.lua", "main.lua"),
            rewrite=((r"(?<![\w.])os\.exit\(", "{end}("),),
        ),
    ),
    Language(
        "r",
        "main.R",
        ("/usr/bin/Rscript", "--vanilla", "main.R"),
        aliases=("rscript",),
        packages=("r-base-core",),
        tests=Tests(
            run=("/usr/bin/Rscript", "--vanilla", f"{GUEST}/tests.R", "main.R"),
            rewrite=(
                (r"(?<![\w.:])(?:quit|q)\(", "base::quit("),
                (r"(?<![\w.:])stopifnot\(", "base::stopifnot("),
            ),
        ),
    ),
    Language(
        "kotlin",
        "main.kt",
        ("/usr/bin/java", *_JVM, "-jar", "main.jar"),
        ("/bin/sh", "-c", _KOTLIN_BUILD),
        aliases=("kt",),
        packages=("kotlin",),
        tests=Tests(
            run=("/usr/bin/java", *_JVM, "-ea", "-cp", f"main.jar:{GUEST}", "RefereeTests", "main.jar"),
            end="",
        ),
    ),
    Language(
        "scala",
        "main.scala",
        ("/usr/bin/java", *_JVM, "-jar", "main.jar"),
        ("/bin/sh", "-c", _SCALA_BUILD),
        packages=("scala",),
        tests=Tests(
            run=(
                "/usr/bin/java",
                *_JVM,
                "-ea",
                "-cp",
                f"main.jar:{_SCALA_LIBRARY}:{GUEST}",
                "RefereeTests",
                "main.jar",
            ),
            end="",
        ),
    ),
    Language(
        "haskell",
        "main.hs",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/ghc", "-O", "-v0", "-o", "main", "main.hs"),
        aliases=("hs", "ghc"),
        packages=("ghc",),
        tests=Tests(run=(f"{RUN_DIR}/main",), end=_HASKELL_END, rewrite=((r"(?m)^main\b", "{end}"),)),
    ),
    Language(
        "racket",
        "main.rkt",
        ("/usr/bin/racket", "main.rkt"),
        aliases=("rkt",),
        packages=("racket",),
        tests=Tests(run=("/usr/bin/racket", f"{GUEST}/tests.rkt", "main.rkt"), end=""),
    ),
)
# What Python programs may import beyond the standard library: each Debian package and the
# module it brings (what the tests import). The scientific stack (EvoEval, DS-1000) and what
# BigCodeBench's tasks import that Debian 12 ships, but for the heaviest: torch (0.8 GB with its
# libraries), opencv (0.6 GB), gensim (0.6 GB) and wordcloud (1.4 GB, its fonts and Tk), and
# TensorFlow and Keras, which Debian does not ship. Debian's pycryptodome is `Cryptodome`.
LIBRARIES = {
    "python3-numpy": "numpy",
    "python3-scipy": "scipy",
    "python3-pandas": "pandas",
    "python3-sklearn": "sklearn",
    "python3-networkx": "networkx",
    "python3-matplotlib": "matplotlib",
    "python3-sympy": "sympy",
    "python3-statsmodels": "statsmodels",
    "python3-seaborn": "seaborn",
    "python3-skimage": "skimage",
    "python3-pil": "PIL",
    "python3-shapely": "shapely",
    "python3-nltk": "nltk",
    "python3-regex": "regex",
    "python3-unidecode": "unidecode",
    "python3-levenshtein": "Levenshtein",
    "python3-natsort": "natsort",
    "python3-chardet": "chardet",
    "python3-requests": "requests",
    "python3-bs4": "bs4",
    "python3-lxml": "lxml",
    "python3-pyquery": "pyquery",
    "python3-mechanize": "mechanize",
    "python3-flask": "flask",
    "python3-flask-login": "flask_login",
    "python3-flask-restful": "flask_restful",
    "python3-flask-mail": "flask_mail",
    "python3-wtforms": "wtforms",
    "python3-werkzeug": "werkzeug",
    "python3-jinja2": "jinja2",
    "python3-sqlalchemy": "sqlalchemy",
    "python3-openpyxl": "openpyxl",
    "python3-xlrd": "xlrd",
    "python3-xlwt": "xlwt",
    "python3-docx": "docx",
    "python3-yaml": "yaml",
    "python3-tz": "pytz",
    "python3-dateutil": "dateutil",
    "python3-holidays": "holidays",
    "python3-geopy": "geopy",
    "python3-folium": "folium",
    "python3-cryptography": "cryptography",
    "python3-pycryptodome": "Cryptodome",
    "python3-rsa": "rsa",
    "python3-psutil": "psutil",
    "python3-soundfile": "soundfile",
    "python3-dill": "dill",
    "python3-toolz": "toolz",
    "python3-tabulate": "tabulate",
    "python3-texttable": "texttable",
    "python3-prettytable": "prettytable",
    "python3-termcolor": "termcolor",
}
# The image's packages: every toolchain, then the libraries.
PACKAGES = (*dict.fromkeys(p for lang in LANGUAGES for p in lang.packages), *LIBRARIES)
_BY_NAME = {n: lang for lang in LANGUAGES for n in (lang.name, *lang.aliases)}


def supported() -> list[str]:
    return [lang.name for lang in LANGUAGES]


def language(name: str) -> Language:
    """The language called `name` (case-insensitive, aliases allowed); UnsupportedLanguage if none."""
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        raise UnsupportedLanguage(name, supported()) from None
