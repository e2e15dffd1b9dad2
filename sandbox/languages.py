"""The languages the image runs: the one registry.

Each entry names its Debian packages, its file name and its compile and run commands; the
image build (`image.PACKAGES`, the binaries a rootfs must hold), `sandbox/Dockerfile` (a test
checks it), `ListLanguages`, `referee doctor` and the per-language tests all read it. Adding a
language is one entry here plus its tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sandbox.errors import UnsupportedLanguage

__all__ = ["LANGUAGES", "LIBRARIES", "PACKAGES", "Language", "language", "supported"]

RUN_DIR = "/work/run"
_BINARY = re.compile(r"(?<![\w/])/(?:usr/)?bin/[\w.+-]+")

# Java: the public class may have any name. javac wants it in a file of that name, so the build
# renames Main.java after the first public (else first) class it declares and packs the classes
# in a jar whose manifest names it: the run command stays one.
_CLASS = r"[A-Za-z_][A-Za-z0-9_]*"
_JAVA_BUILD = (
    f"c=$(grep -m1 -oE '(^|[[:space:]])public[[:space:]]+((final|abstract)[[:space:]]+)*class[[:space:]]+{_CLASS}' "
    "Main.java | awk '{print $NF}'); "
    f"[ -n \"$c\" ] || c=$(grep -m1 -oE '(^|[[:space:]])class[[:space:]]+{_CLASS}' Main.java | awk '{{print $NF}}'); "
    'c=${c:-Main}; [ "$c" = Main ] || mv Main.java "$c.java"; '
    '/usr/bin/javac -J-XX:+UseSerialGC -encoding UTF-8 -nowarn "$c.java" '
    '&& printf "Main-Class: %s\\n" "$c" > manifest.txt && /usr/bin/jar cfm main.jar manifest.txt *.class'
)
_JVM = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xss64m")


@dataclass(frozen=True, slots=True)
class Language:
    name: str
    filename: str
    run: tuple[str, ...]  # argv; argv[0] is an absolute path (the supervisor execs it directly)
    compile: tuple[str, ...] = ()  # empty: interpreted
    aliases: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()  # Debian 12 packages that bring its toolchain
    function_tests: bool = False  # assert-style tests (HumanEval/MBPP) run in this language's judge

    @property
    def kind(self) -> str:
        return "compiled" if self.compile else "interpreted"

    @property
    def binaries(self) -> tuple[str, ...]:
        """The toolchain's files its commands name (`/usr/bin/go` inside `env …`, `javac` in the
        Java build script): a rootfs without one of them lacks the language."""
        return tuple(dict.fromkeys(_BINARY.findall(" ".join((*self.compile, *self.run)))))


LANGUAGES = (
    Language(
        "python",
        "main.py",
        ("/usr/bin/python3", "-E", "main.py"),  # with site: dist-packages (numpy, …) on the path
        aliases=("py", "python3"),
        packages=("python3",),
        function_tests=True,
    ),
    Language("pypy", "main.py", ("/usr/bin/pypy3", "-E", "main.py"), aliases=("pypy3",), packages=("pypy3",)),
    Language(
        "c",
        "main.c",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/gcc", "-O2", "-std=gnu17", "-pipe", "-o", "main", "main.c", "-lm"),
        packages=("gcc", "libc6-dev"),
    ),
    Language(
        "cpp",
        "main.cpp",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/g++", "-O2", "-std=gnu++17", "-pipe", "-o", "main", "main.cpp"),
        aliases=("c++", "cxx", "cc"),
        packages=("g++",),
    ),
    Language(
        "javascript",
        "main.js",
        ("/usr/bin/node", "main.js"),
        aliases=("js", "node", "nodejs"),
        packages=("nodejs", "node-lodash"),
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
    ),
    Language(
        "java",
        "Main.java",
        ("/usr/bin/java", *_JVM, "-jar", "main.jar"),
        ("/bin/sh", "-c", _JAVA_BUILD),
        packages=("openjdk-17-jdk-headless",),
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
        packages=("golang-go",),
    ),
    Language(
        "rust",
        "main.rs",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/rustc", "-O", "--edition", "2021", "-o", "main", "main.rs"),
        aliases=("rs",),
        packages=("rustc",),
    ),
    Language(
        "csharp",
        "main.cs",
        ("/usr/bin/mono", "main.exe"),
        ("/usr/bin/mcs", "-optimize+", "-nowarn:0168,0219", "-out:main.exe", "main.cs"),
        aliases=("cs", "c#", "mono"),
        packages=("mono-mcs",),
    ),
    Language(
        "d",
        "main.d",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/gdc", "-O2", "-o", "main", "main.d"),
        aliases=("dlang", "gdc"),
        packages=("gdc",),
    ),
    Language("bash", "main.sh", ("/bin/bash", "main.sh"), aliases=("sh", "shell"), packages=("bash",)),
    Language("ruby", "main.rb", ("/usr/bin/ruby", "main.rb"), aliases=("rb",), packages=("ruby",)),
    Language("php", "main.php", ("/usr/bin/php", "-n", "main.php"), packages=("php-cli",)),
    Language("perl", "main.pl", ("/usr/bin/perl", "main.pl"), aliases=("pl",), packages=("perl",)),
    Language("lua", "main.lua", ("/usr/bin/lua5.4", "main.lua"), packages=("lua5.4",)),
    Language(
        "r",
        "main.R",
        ("/usr/bin/Rscript", "--vanilla", "main.R"),
        aliases=("rscript",),
        packages=("r-base-core",),
    ),
)
# What Python programs may import beyond the standard library (BigCodeBench, DS-1000, EvoEval):
# each Debian package and the module it brings (what tells a rootfs that has it).
LIBRARIES = {
    "python3-numpy": "numpy",
    "python3-scipy": "scipy",
    "python3-pandas": "pandas",
    "python3-sklearn": "sklearn",
    "python3-networkx": "networkx",
    "python3-matplotlib": "matplotlib",
    "python3-sympy": "sympy",
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
