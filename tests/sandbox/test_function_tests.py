"""Assert-style tests in the program's own language (MultiPL-E, HumanEval-X, MBXP), for real, on
MultiPL-E's own rows (tests/sandbox/data/multipl_e.json): prompt + completion + "\\n" + tests, as
MultiPL-E assembles them. A correct completion passes; a wrong one fails; one that exits 0
before the tests end (the hack SandboxFusion's own MultiPL-E samples include) fails, and so does
one that skips the tests with a top-level return or stubs their assertions out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox import InvalidSpec, JudgeSpec, RunStatus, Sandbox, Verdict
from sandbox.languages import LANGUAGES, PYJUDGE, language

pytestmark = pytest.mark.docker

ROWS = {
    r["language"]: r for r in json.loads((Path(__file__).parent / "data/multipl_e.json").read_text())["rows"]
}

# Per language: a completion that exits 0 as soon as the function is called (its tests never end).
EXIT_EARLY = {
    "cpp": "    exit(0);\n",
    "java": "        System.exit(0); return 0;\n",
    "javascript": "  process.exit(0);\n}\n",
    "typescript": "  process.exit(0); return 0;\n}\n",
    "rust": "    std::process::exit(0)\n",
    "csharp": "        Environment.Exit(0); return 0;\n",
    "d": "{\n    import core.stdc.stdlib : exit;\n    exit(0);\n    return 0;\n}\n",
    "bash": "    exit 0\n",
    "ruby": "  exit 0\nend\n",
    "php": "    exit(0);\n}\n",
    "perl": "    exit 0;\n}\n",
    "lua": "    os.exit(0)\nend\n",
    "r": "\n    quit(save = 'no', status = 0)\n}\n",
    "scala": "        sys.exit(0)\n",
    "kotlin": "    kotlin.system.exitProcess(0)\n",
    "racket": "  (exit 0))\n",
}
# Per language: a completion that ends the file before its tests run, without exiting.
SKIP_TESTS = {
    "javascript": "  return x + y;\n}\nreturn;\n",
    "ruby": "  true\nend\nreturn\n",
    "php": "    return true;\n}\nreturn;\n",
    "perl": "    return 1;\n}\nreturn 1;\n",
    "lua": "    return true\nend\ndo return end\n",
    "bash": "    echo 1\n}\nreturn 0\n",
}
# Per language: a completion that stubs out what the tests check with.
STUB_CHECKS = {
    "cpp": "    return 0;\n}\n#define assert(x) ((void)0)\nlong unused() {\n    return 0;\n",
    "javascript": "  return 0;\n}\nrequire('node:assert').deepEqual = () => {};\n",
    "rust": "    0\n}\nmacro_rules! assert_eq { ($($t:tt)*) => {} }\nfn unused() -> isize {\n    0\n",
    "lua": "    return 0\nend\nos.exit = function() end\n",
    "r": "\n    return(FALSE)\n}\nstopifnot <- function(...) invisible(NULL)\n",
    "ruby": "  nil\nend\nmodule Test; module Unit; module Assertions; def assert_equal(*) = nil; end; end; end\n",
}


def spec(lang: str, completion: str) -> JudgeSpec:
    row = ROWS[lang]
    return JudgeSpec(
        language=lang, prelude=row["prompt"], source=completion, test_code=row["tests"], timeout_ms=20_000
    )


def test_every_language_with_tests_has_a_real_row() -> None:
    with_tests = {x.name for x in LANGUAGES if x.tests not in (None, PYJUDGE)}
    assert with_tests - {"c"} == set(ROWS)  # MultiPL-E has no C: C shares C++'s harness


async def test_haskell_exiting_from_pure_code_fails(sb: Sandbox) -> None:
    row = ROWS["haskell"]
    prompt = "import System.Exit\nimport System.IO.Unsafe\n" + row["prompt"]
    hack = " unsafePerformIO exitSuccess\n"
    for source, passes in ((row["completion"], True), (hack, False)):
        r = await sb.judge(
            JudgeSpec(language="haskell", prelude=prompt, source=source, test_code=row["tests"])
        )
        assert r.status is RunStatus.OK and r.tests[0].passed is passes, r


@pytest.mark.parametrize("lang", sorted(ROWS))
async def test_a_correct_completion_passes(sb: Sandbox, lang: str) -> None:
    r = await sb.judge(spec(lang, ROWS[lang]["completion"]))
    assert r.status is RunStatus.OK and [t.verdict for t in r.tests] == [Verdict.PASS], r


@pytest.mark.parametrize("lang", sorted(EXIT_EARLY))
async def test_exiting_0_before_the_tests_end_fails(sb: Sandbox, lang: str) -> None:
    r = await sb.judge(spec(lang, EXIT_EARLY[lang]))
    assert r.passed == 0 and r.tests[0].verdict is Verdict.WRONG_ANSWER, r
    # luaunit and Test::Unit catch the exit and fail the test; bash's runs in the test's subshell
    if lang not in ("lua", "ruby", "bash"):
        assert "before its tests ended" in r.tests[0].detail, r


@pytest.mark.parametrize("lang", sorted(SKIP_TESTS))
async def test_ending_the_file_before_the_tests_fails(sb: Sandbox, lang: str) -> None:
    r = await sb.judge(spec(lang, SKIP_TESTS[lang]))
    assert r.passed == 0, r


@pytest.mark.parametrize("lang", sorted(STUB_CHECKS))
async def test_stubbing_the_checks_out_fails(sb: Sandbox, lang: str) -> None:
    r = await sb.judge(spec(lang, STUB_CHECKS[lang]))
    assert r.passed == 0, r


@pytest.mark.parametrize("lang", ["cpp", "javascript", "ruby", "r"])
async def test_a_wrong_completion_fails_with_the_reason(sb: Sandbox, lang: str) -> None:
    wrong = {
        "cpp": "    return x - y;\n",
        "javascript": "  return x - y;\n}\n",
        "ruby": "  false\nend\n",
        "r": "\n    return(FALSE)\n}\n",
    }[lang]
    r = await sb.judge(spec(lang, wrong))
    assert r.status is RunStatus.OK and r.tests[0].verdict is Verdict.WRONG_ANSWER, r
    assert "a test failed" in r.tests[0].detail, r


async def test_a_compile_error_is_the_samples_status(sb: Sandbox) -> None:
    r = await sb.judge(spec("rust", "    x +\n"))
    assert r.status is RunStatus.COMPILE_ERROR and r.tests[0].verdict is Verdict.COMPILE_ERROR, r


# Per language: a program that echoes whatever its stdin holds (where the token came from), then
# exits 0: were the secret still there, this would forge the end of the tests.
ECHO_STDIN = {
    "javascript": "  process.stdout.write(require('fs').readFileSync(0, 'latin1'));\n  process.exit(0);\n}\n",
    "cpp": "    std::cout << std::cin.rdbuf() << std::flush;\n    exit(0);\n",
    "ruby": "  print $stdin.read\n  exit! 0\nend\n",
    "java": "        try { System.out.write(System.in.readAllBytes()); } catch (IOException e) {}\n"
    "        System.out.flush(); System.exit(0); return 0;\n",
}


@pytest.mark.parametrize("lang", sorted(ECHO_STDIN))
async def test_the_secret_is_gone_before_the_program_runs(sb: Sandbox, lang: str) -> None:
    r = await sb.judge(spec(lang, ECHO_STDIN[lang]))
    assert r.passed == 0 and "before its tests ended" in r.tests[0].detail, r


async def test_a_timeout_is_a_timeout(sb: Sandbox) -> None:
    r = await sb.judge(
        JudgeSpec(
            language="javascript",
            prelude=ROWS["javascript"]["prompt"],
            source="  for (;;) {}\n}\n",
            test_code=ROWS["javascript"]["tests"],
            timeout_ms=1000,
        )
    )
    assert r.tests[0].verdict is Verdict.TIMEOUT, r


async def test_c_shares_the_native_harness(sb: Sandbox) -> None:
    program = "#include <assert.h>\n#include <stdlib.h>\nlong add(long x, long y) {\n    return x + y;\n"
    tests = "}\nint main() {\n    assert(add(2, 3) == 5);\n}\n"
    assert (await sb.judge(JudgeSpec(language="c", source=program, test_code=tests))).tests[0].passed
    early = program.replace("return x + y;", "exit(0);")
    assert not (await sb.judge(JudgeSpec(language="c", source=early, test_code=tests))).tests[0].passed
    ctor = "__attribute__((constructor)) static void early(void) { exit(0); }\n" + program
    assert not (await sb.judge(JudgeSpec(language="c", source=ctor, test_code=tests))).tests[0].passed


async def test_languages_without_a_harness_say_so(sb: Sandbox) -> None:
    with pytest.raises(InvalidSpec, match="no assert-style tests in pypy"):
        await sb.judge(JudgeSpec(language="pypy", source="x = 1\n", test_code="assert x == 1\n"))
    assert language("pypy").tests is None


# HumanEval-X's shapes, assembled as CodeGeeX's process_humaneval_test does (its rows are
# gzipped and not readable here; these follow its code and its Java tests' public form).
HUMANEVAL_X_RUST = {  # "\nfn main(){ \n } \n" + declaration + prompt + generation + test
    "prelude": "\nfn main(){ \n } \n\nuse std::cmp::max;\n\n/*\n Add two numbers x and y\n*/\nfn add(x:i32, y:i32) -> i32{\n",
    "tests": "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn test_add() {\n"
    "        assert!(add(0, 1) == 1);\n        assert!(add(5, 7) == 12);\n    }\n}\n",
}
HUMANEVAL_X_JAVA = {  # prompt + generation + "\n" + test
    "prelude": "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n    /**\n    Add two numbers x and y\n"
    "     */\n    public int add(int x, int y) {\n",
    "tests": "public class Main {\n    public static void main(String[] args) {\n        Solution s = new Solution();\n"
    "        List<Boolean> correct = Arrays.asList(\n                s.add(0, 1) == 1,\n"
    "                s.add(5, 7) == 12\n        );\n        if (correct.contains(false)) {\n"
    "            throw new AssertionError();\n        }\n    }\n}\n",
}


@pytest.mark.parametrize(
    ("lang", "row", "good", "wrong"),
    [
        ("rust", HUMANEVAL_X_RUST, "    x + y\n}\n", "    x - y\n}\n"),
        ("java", HUMANEVAL_X_JAVA, "        return x + y;\n    }\n}\n", "        return x - y;\n    }\n}\n"),
    ],
)
async def test_humaneval_x_shapes_run_their_tests(
    sb: Sandbox, lang: str, row: dict, good: str, wrong: str
) -> None:
    def judged(body: str) -> JudgeSpec:
        return JudgeSpec(
            language=lang, prelude=row["prelude"], source=body, test_code=row["tests"], timeout_ms=20_000
        )

    assert (await sb.judge(judged(good))).tests[0].passed
    # Rust's #[test] functions only run under libtest: a binary with HumanEval-X's empty main would
    # pass without running one, so they build with --test.
    r = await sb.judge(judged(wrong))
    assert r.status is RunStatus.OK and not r.tests[0].passed, r


@pytest.mark.parametrize(
    ("lang", "tests", "words"),
    [
        ("go", "func helper(t int) int { return t }\n", "func TestXxx"),
        ("rust", "#[cfg(test)]\nmod tests {}\n", "a main or a #[test] function"),
    ],
)
async def test_tests_that_cannot_run_a_test_are_refused(
    sb: Sandbox, lang: str, tests: str, words: str
) -> None:
    with pytest.raises(ValueError, match="no test in it") as info:
        await sb.judge(JudgeSpec(language=lang, source="", test_code=tests))
    assert words in str(info.value)
