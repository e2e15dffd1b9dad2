"""The `code` reward through the registry, with a real sandbox; code extraction and comparison units."""

from __future__ import annotations

import pytest

from rewards import CodeReference, Context, IOCase, Sample, Status, get_reward
from rewards.code import extract_code
from sandbox import Sandbox
from sandbox.compare import difference
from sandbox.types import Comparator, OutputMatch

TESTS = "assert add(1, 2) == 3\nassert add(2, 2) == 4\n"


def sample(completion: str, code: CodeReference | None = None, sid: str = "s") -> Sample:
    return Sample(id=sid, prompt="", completion=completion, code=code)


def py_ref(**kw) -> CodeReference:
    return CodeReference(language="python", test_code=TESTS, entry_point="add", **kw)


async def score(samples: list[Sample], sb: Sandbox | None, **params):
    reward = get_reward("code")
    return await reward(samples, reward.parse_params(params), Context(sandbox=sb))


@pytest.mark.docker
async def test_fraction_and_all_or_nothing(sb: Sandbox) -> None:
    half = "Here:\n```python\ndef add(a, b):\n    return 3\n```\n"
    full = "```py\ndef add(a, b):\n    return a + b\n```"
    r = await score([sample(half, py_ref()), sample(full, py_ref())], sb)
    assert [(x.value, x.status) for x in r] == [(0.5, Status.OK), (1.0, Status.OK)]
    assert r[0].detail.startswith("1/2 passed: ok WA")
    r = await score([sample(half, py_ref()), sample(full, py_ref())], sb, mode="all_or_nothing")
    assert [x.value for x in r] == [0.0, 1.0]


@pytest.mark.docker
async def test_stdio_cpp_and_compile_error(sb: Sandbox) -> None:
    ref = CodeReference(language="cpp", cases=(IOCase("2 3", "5"), IOCase("4 4", "8")))
    ok = '```cpp\n#include <cstdio>\nint main(){int a,b;scanf("%d%d",&a,&b);printf("%d\\n",a+b);}\n```'
    bad = "```cpp\nint main( {\n```"
    r = await score([sample(ok, ref), sample(bad, ref)], sb)
    assert (r[0].value, r[0].status) == (1.0, Status.OK)
    assert (r[1].value, r[1].status) == (0.0, Status.OK) and "compile error" in r[1].detail


@pytest.mark.docker
async def test_hack_earns_zero_and_bad_samples_stay_isolated(sb: Sandbox) -> None:
    hack = "```python\nimport sys\nprint('All tests passed')\nsys.exit(0)\n```"
    good = "```python\ndef add(a, b):\n    return a + b\n```"
    no_ref = sample(good)
    cobol = sample(good, CodeReference(language="cobol", cases=(IOCase("", ""),)))
    r = await score([sample(hack, py_ref()), no_ref, cobol, sample(good, py_ref())], sb)
    assert [x.status for x in r] == [Status.OK, Status.INVALID_INPUT, Status.INVALID_INPUT, Status.OK]
    assert [x.value for x in r] == [0.0, 0.0, 0.0, 1.0]
    assert "supported: python" in r[2].detail


async def test_without_a_sandbox_every_sample_is_sandbox_error() -> None:
    r = await score([sample("x", py_ref())] * 2, None)
    assert [x.status for x in r] == [Status.SANDBOX_ERROR] * 2 and r[0].value == 0.0


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        get_reward("code").parse_params({"mode": "most"})


@pytest.mark.parametrize(
    ("completion", "language", "code"),
    [
        ("print(1)", "python", "print(1)"),
        ("text\n```python\nA\n```\nmore\n```python\nB\n```\n", "python", "B\n"),
        ("```python\nA\n```\n```text\noutput\n```", "python", "A\n"),  # the tagged block wins
        ("```\nA\n```\n```\nB\n```", "python", "B\n"),
        ("```cpp\nint main(){}\n```", "c++", "int main(){}\n"),
        ("reasoning\n```python\ndef f():\n    return 1", "python", "def f():\n    return 1"),  # truncated
        ("```python\nprint('```')\n```", "python", "print('```')\n"),
    ],
)
def test_extract_code(completion: str, language: str, code: str) -> None:
    assert extract_code(completion, language) == code


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        ("3\n", "3", True),
        ("1 2\n3\n", "1 2  \r\n3\r\n\n\n", True),
        ("1\n2\n", "1\n", False),  # prefix
        ("1\n", "1\n2\n", False),  # extra line
        ("1\n2\n", "1\n\n2\n", False),  # inner blank line
        ("a b", " a b", False),  # leading whitespace counts
        ("", "", True),
    ],
)
def test_same_output(expected: str, actual: str, same: bool) -> None:
    assert (not difference(expected, actual)) is same


FLOAT = OutputMatch(Comparator.FLOAT)


@pytest.mark.parametrize(
    ("expected", "actual", "match", "same"),
    [
        ("1 2\n3", "1\n2 3\n", OutputMatch(Comparator.TOKENS), True),
        ("1 2 3", "1 2", OutputMatch(Comparator.TOKENS), False),
        ("1 2\n3", "1\n2 3\n", OutputMatch(), False),  # lines: line breaks matter
        ("0.333333", "0.3333333", FLOAT, True),
        ("0.333333", "0.3334", FLOAT, False),
        ("1000000", "1000001", FLOAT, False),  # integers exactly (SandboxFusion passes this)
        ("1000000000", "1000000001", FLOAT, False),
        ("5", "5.000000", FLOAT, True),  # a float problem whose answer is whole
        ("1e9", "1000000000.0000001", FLOAT, True),  # relative
        ("nan", "nan", FLOAT, True),
        ("nan", "1.0", FLOAT, False),
        ("inf", "1e308", FLOAT, False),
        ("YES", "yes", OutputMatch(Comparator.TOKENS), False),
        ("YES", "yes", OutputMatch(Comparator.TOKENS, ignore_case=True), True),
        ("1.5 abc", "1.5000001 abc", FLOAT, True),
        ("1.5 abc", "1.5 abd", FLOAT, False),
    ],
)
def test_comparators(expected: str, actual: str, match: OutputMatch, same: bool) -> None:
    assert (not difference(expected, actual, match)) is same


def test_unknown_comparator_and_bad_tolerance_are_refused() -> None:
    with pytest.raises(ValueError, match="nearly"):
        OutputMatch("nearly")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="float_tolerance"):
        OutputMatch(Comparator.FLOAT, float_tolerance=-1)
