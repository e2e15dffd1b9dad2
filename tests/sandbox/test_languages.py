"""Every language of the registry, for real: a stdin sum, a compile error (compiled languages),
a runtime error and a timeout, each judged as a stdin/stdout case; plus the Python libraries."""

from __future__ import annotations

import pytest

from sandbox import ExecuteSpec, IOCase, JudgeSpec, RunStatus, Sandbox, Verdict
from sandbox.languages import LANGUAGES, LIBRARIES, language

pytestmark = pytest.mark.docker

# Per language: (a + b from one stdin line, a program that does not compile or ""; one that
# fails at run time, one that never ends).
PROGRAMS: dict[str, tuple[str, str, str, str]] = {
    "python": (
        "a, b = map(int, input().split())\nprint(a + b)\n",
        "",
        "raise SystemExit(3)\n",
        "while True:\n    pass\n",
    ),
    "pypy": (
        "a, b = map(int, input().split())\nprint(a + b)\n",
        "",
        "import sys\nsys.exit(3)\n",
        "while True:\n    pass\n",
    ),
    "c": (
        '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);return 0;}\n',
        "int main(){ return x; }\n",
        "int main(){ return 3; }\n",
        "int main(){ for(;;); }\n",
    ),
    "cpp": (
        "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<std::endl;}\n",
        "int main(){ undefined(); }\n",
        '#include <stdexcept>\nint main(){ throw std::runtime_error("boom"); }\n',
        "int main(){ volatile int x=0; for(;;) x++; }\n",
    ),
    "javascript": (
        "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n"
        "console.log(a + b);\n",
        "",
        "throw new Error('boom');\n",
        "for (;;) {}\n",
    ),
    "typescript": (
        "const [a, b]: number[] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n"
        "console.log(a + b);\n",
        "const x: number = 'not a number';\n",
        "throw new Error('boom');\n",
        "for (;;) {}\n",
    ),
    "java": (
        "import java.util.*;\npublic class Solution {\n  public static void main(String[] args) {\n"
        "    Scanner s = new Scanner(System.in);\n    long a = s.nextLong(), b = s.nextLong();\n"
        "    System.out.println(a + b);\n  }\n}\n",
        'public class Main { public static void main(String[] a) { int x = "s"; } }\n',
        'public class Main { public static void main(String[] a) { throw new RuntimeException("boom"); } }\n',
        "public class Main { public static void main(String[] a) { while (true) {} } }\n",
    ),
    "go": (
        'package main\nimport "fmt"\nfunc main() { var a, b int64; fmt.Scan(&a, &b); fmt.Println(a + b) }\n',
        "package main\nfunc main() { x := 1 }\n",
        'package main\nfunc main() { panic("boom") }\n',
        "package main\nfunc main() { for {} }\n",
    ),
    "rust": (
        "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap();\n"
        '  let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] + v[1]); }\n',
        'fn main() { let x: i32 = "s"; }\n',
        'fn main() { panic!("boom"); }\n',
        "fn main() { loop {} }\n",
    ),
    "csharp": (
        "using System;\nclass P { static void Main() { var t = Console.ReadLine().Split(' ');\n"
        "  Console.WriteLine(long.Parse(t[0]) + long.Parse(t[1])); } }\n",
        'class P { static void Main() { int x = "s"; } }\n',
        'class P { static void Main() { throw new System.Exception("boom"); } }\n',
        "class P { static void Main() { while (true) {} } }\n",
    ),
    "d": (
        'import std.stdio;\nvoid main() { long a, b; readf(" %d %d", &a, &b); writeln(a + b); }\n',
        'void main() { int x = "s"; }\n',
        'void main() { throw new Exception("boom"); }\n',
        "void main() { while (true) {} }\n",
    ),
    "bash": ("read a b\necho $((a + b))\n", "", "exit 3\n", "while :; do :; done\n"),
    "ruby": ("a, b = gets.split.map(&:to_i)\nputs a + b\n", "", "raise 'boom'\n", "loop {}\n"),
    "php": (
        '<?php\n[$a, $b] = array_map("intval", explode(" ", trim(fgets(STDIN))));\necho $a + $b, "\\n";\n',
        "",
        '<?php\nthrow new Exception("boom");\n',
        "<?php\nwhile (true) {}\n",
    ),
    "perl": (
        'my ($a, $b) = split " ", <STDIN>;\nprint $a + $b, "\\n";\n',
        "",
        'die "boom";\n',
        "1 while 1;\n",
    ),
    "lua": (
        'local a, b = io.read("n", "n")\nprint(math.tointeger(a + b))\n',
        "",
        'error("boom")\n',
        "while true do end\n",
    ),
    "r": (
        'x <- scan(file("stdin"), quiet = TRUE)\ncat(sum(x), "\\n")\n',
        "",
        'stop("boom")\n',
        "repeat {}\n",
    ),
    "kotlin": (
        'fun main() {\n    val (a, b) = readLine()!!.trim().split(" ").map { it.toLong() }\n    println(a + b)\n}\n',
        'fun main() { val x: Int = "s" }\n',
        'fun main() { throw RuntimeException("boom") }\n',
        "fun main() { while (true) {} }\n",
    ),
    "scala": (
        "object Solution {\n  def main(args: Array[String]): Unit = {\n"
        '    val Array(a, b) = scala.io.StdIn.readLine().trim.split(" ").map(_.toLong)\n    println(a + b)\n  }\n}\n',
        'object Main { def main(args: Array[String]): Unit = { val x: Int = "s" } }\n',
        'object Main { def main(args: Array[String]): Unit = throw new RuntimeException("boom") }\n',
        "object Main { def main(args: Array[String]): Unit = while (true) {} }\n",
    ),
    "haskell": (
        "main :: IO ()\nmain = do\n  [a, b] <- map read . words <$> getLine :: IO [Integer]\n  print (a + b)\n",
        "main :: IO ()\nmain = putStrLn (1 :: Int)\n",
        'main :: IO ()\nmain = error "boom"\n',
        "main :: IO ()\nmain = let loop n = loop (n + 1 :: Integer) in loop 0 >> return ()\n",
    ),
    "racket": (
        '#lang racket/base\n(define xs (map string->number (regexp-split #px" +" (read-line))))\n'
        "(displayln (+ (car xs) (cadr xs)))\n",
        "",
        '#lang racket/base\n(error "boom")\n',
        "#lang racket/base\n(let loop () (loop))\n",
    ),
}


def test_every_registered_language_has_programs_here() -> None:
    assert {lang.name for lang in LANGUAGES} == set(PROGRAMS)


def test_aliases_name_their_language() -> None:
    for alias, name in [("py", "python"), ("c++", "cpp"), ("js", "javascript"), ("ts", "typescript"),
                        ("golang", "go"), ("rs", "rust"), ("sh", "bash"), ("rb", "ruby"), ("pl", "perl"),
                        ("cs", "csharp"), ("JAVA", "java"), ("kt", "kotlin"), ("hs", "haskell"),
                        ("rkt", "racket")]:  # fmt: skip
        assert language(alias).name == name


async def run_case(sb: Sandbox, lang: str, source: str, timeout_ms: int = 10_000, expected: str = "42\n"):
    spec = JudgeSpec(lang, source, cases=(IOCase("40 2\n", expected),), timeout_ms=timeout_ms)
    return await sb.judge(spec)


@pytest.mark.parametrize("lang", list(PROGRAMS))
async def test_stdin_sum_compile_error_runtime_error_and_timeout(sb: Sandbox, lang: str) -> None:
    good, broken, crash, forever = PROGRAMS[lang]
    r = await run_case(sb, lang, good)
    assert (r.status, r.passed) == (RunStatus.OK, 1), r
    r = await run_case(sb, lang, good, expected="41\n")
    assert r.passed == 0 and r.tests[0].verdict is Verdict.WRONG_ANSWER, r
    if broken:
        r = await run_case(sb, lang, broken)
        assert r.status is RunStatus.COMPILE_ERROR and r.tests[0].verdict is Verdict.COMPILE_ERROR, r
        assert r.detail, r  # the compiler's message
    r = await run_case(sb, lang, crash)
    assert r.tests[0].verdict is Verdict.RUNTIME_ERROR, r
    r = await run_case(sb, lang, forever, timeout_ms=1000)
    assert r.tests[0].verdict is Verdict.TIMEOUT, r


async def test_python_has_the_scientific_stack(sb: Sandbox) -> None:
    program = (
        "import numpy, scipy.linalg, pandas, sklearn.linear_model, networkx, sympy, matplotlib\n"
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2], [3, 4]); plt.savefig('/tmp/plot.png')\n"
        "g = networkx.path_graph(4)\n"
        "print(int(numpy.array([1, 2]).sum()), len(pandas.DataFrame({'a': [1, 2]})), g.number_of_edges(),"
        " sympy.factorint(12)[2], round(float(scipy.linalg.det([[2, 0], [0, 3]]))))\n"
    )
    spec = JudgeSpec("python", program, cases=(IOCase("", "3 2 3 2 6\n"),), timeout_ms=20_000, memory_mb=1024)
    r = await sb.judge(spec)
    assert r.passed == 1, r


async def test_every_library_of_the_registry_imports(sb: Sandbox) -> None:
    """Each module LIBRARIES names, imported in a sandboxed program (BigCodeBench's imports)."""
    program = (
        f"import importlib\nnames = {sorted(LIBRARIES.values())!r}\n"
        "failed = []\nfor n in names:\n    try:\n        importlib.import_module(n)\n"
        "    except Exception as e:\n        failed.append(f'{n}: {e!r}')\nprint(failed or 'all', len(names))\n"
    )
    r = await sb.execute(ExecuteSpec("python", program, timeout_ms=30_000, memory_mb=1024))
    assert r.status is RunStatus.OK and r.stdout.split()[0] == "all", r


async def test_node_has_lodash(sb: Sandbox) -> None:
    spec = JudgeSpec("javascript", "const _ = require('lodash');\nconsole.log(_.sum([1, 2, 3]));\n",
                     cases=(IOCase("", "6\n"),))  # fmt: skip
    r = await sb.judge(spec)
    assert r.passed == 1, r


async def test_assert_style_programs_import_the_stack_too(sb: Sandbox) -> None:
    program = (
        "import numpy as np\nimport pandas as pd\n\ndef total(xs):\n    return int(np.sum(pd.Series(xs)))\n"
    )
    spec = JudgeSpec("python", program, test_code="assert total([1, 2, 3]) == 6\n", entry_point="total",
                     timeout_ms=20_000, memory_mb=1024)  # fmt: skip
    r = await sb.judge(spec)
    assert r.passed == 1, r
