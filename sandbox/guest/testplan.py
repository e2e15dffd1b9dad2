"""How assert-style test code splits into tests and setup: one definition, used by the host
(which refuses test code with no test before it leases a container) and by the judge inside the
sandbox (which runs the plan). Pure `ast` and stdlib: it runs in the image's Python too.

A *test* is something that executes checks, found in this order:
1. **Top level.** A statement that contains an `assert` (HumanEval's `assert True` tests nothing
   and is not one), or that calls a function of the test code which asserts, directly or
   through other such functions (EvalPlus's `assertion(out, exp, atol)`). `if __name__ ==
   "__main__":` blocks count as top level: the tests run as the main script.
2. **HumanEval layout.** No test at top level but calls of `check` itself: each test statement
   of `check(candidate)`'s body, with the trailing `check(entry_point)` line (the official
   harness appends it) dropped: we run `check`'s body ourselves.
3. **pytest / unittest.** Each `test_*` function, and each `test_*` method of a `Test*` class or
   a `unittest.TestCase` subclass, called after the whole code ran as setup.

Everything else is setup, run in order; a failing setup statement is never dropped (the tests
after it fail with its error, or, after the last test, it fails as a test of its own).

Checks are counted, so the judge can tell a test that checked something from one that ran no
check at all (which is never a pass): every non-trivial `assert` is preceded by a call of
`CHECK_HOOK`, and every call of a function whose name starts with `assert` or `fail`
(`self.assertEqual`, `np.testing.assert_allclose`, `with self.assertRaises(...)`) goes through
`CHECKED_CALL`, which counts it and makes it.
"""

from __future__ import annotations

import ast
import builtins
import copy
from dataclasses import dataclass, field

__all__ = ["CHECKED_CALL", "CHECK_HOOK", "UNITTEST_HOOK", "NoTests", "Step", "TestPlan", "plan"]

CHECK_HOOK = "__referee_check__"  # called right before every non-trivial assert
CHECKED_CALL = "__referee_checked_call__"  # (function, *args, **kwargs): counts, then calls
CHECK_CALL_PREFIXES = ("assert", "fail")
UNITTEST_HOOK = "__referee_unittest__"  # runs one unittest method: (class, method name)
MAX_TITLE_CHARS = 80


class NoTests(ValueError):
    """The test code holds nothing that executes a check: it could only pass vacuously."""


@dataclass(frozen=True)
class Step:
    code: ast.Module  # instrumented, ready to compile
    title: str  # the statement's first line, as the verdict names it
    is_test: bool


@dataclass(frozen=True)
class TestPlan:
    steps: tuple[Step, ...]
    entry_aliases: frozenset[str]  # names bound to the entry point: `candidate`, check's parameter
    free_names: frozenset[str]  # names the test code reads but never binds (builtins excluded)
    layout: str = "top-level"  # "top-level", "check", or "collected"
    titles: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "titles", tuple(s.title for s in self.steps if s.is_test))


def plan(test_code: str) -> TestPlan:
    """The plan of `test_code`; SyntaxError if it does not parse, NoTests if it has no test."""
    tree = ast.parse(test_code)
    asserting = _asserting_functions(tree)
    body = _flatten_main(tree.body)
    title = _titler(test_code)

    def is_test(stmt: ast.stmt) -> bool:
        if isinstance(
            stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
        ):
            return False
        return _asserts(stmt) or any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in asserting
            for n in ast.walk(stmt)
        )

    check = next((s for s in body if isinstance(s, ast.FunctionDef) and s.name == "check"), None)
    aliases = {"candidate"}
    if check is not None and not any(is_test(s) and not _calls(s, "check") for s in body):
        if check.args.args:
            aliases.add(check.args.args[0].arg)
        outer = [s for s in body if s is not check and not _calls(s, "check")]
        steps = [Step(_module(s), title(s), False) for s in outer]
        steps += [Step(_module(s), title(s), is_test(s)) for s in _flatten_main(check.body)]
        layout = "check"
    else:
        steps = [Step(_module(s), title(s), is_test(s)) for s in body]
        layout = "top-level"
    if not any(s.is_test for s in steps):
        collected = _collected_tests(body)
        if not collected:
            raise NoTests(
                "test_code: no test found: no assert statement, no call of a function that asserts, "
                "no check(candidate) with asserts, no test_* function or method; such code could only pass "
                "without checking anything"
            )
        steps = [Step(_module(s), title(s), False) for s in body] + collected
        layout = "collected"
    return TestPlan(tuple(steps), frozenset(aliases), _free_names(tree), layout)


def _asserts(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Assert) and not _trivially_true(n) for n in ast.walk(node))


def _trivially_true(node: ast.Assert) -> bool:
    """`assert True, "This prints if this assert fails"` (HumanEval) checks nothing."""
    return isinstance(node.test, ast.Constant) and bool(node.test.value)


def _asserting_functions(tree: ast.Module) -> set[str]:
    """Names of the functions (at any depth) that assert, directly or by calling one that does."""
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    found = {d.name for d in defs if _asserts(d)}
    while True:
        more = {
            d.name
            for d in defs
            if d.name not in found
            and any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in found
                for n in ast.walk(d)
            )
        }
        if not more:
            return found
        found |= more


def _calls(stmt: ast.stmt, name: str) -> bool:
    """`name(...)` as a statement of its own (HumanEval's trailing `check(entry_point)`)."""
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and stmt.value.func.id == name
    )


def _is_main_guard(stmt: ast.stmt) -> bool:
    t = stmt.test if isinstance(stmt, ast.If) else None
    return (
        isinstance(t, ast.Compare)
        and isinstance(t.left, ast.Name)
        and t.left.id == "__name__"
        and len(t.comparators) == 1
        and isinstance(t.comparators[0], ast.Constant)
        and t.comparators[0].value == "__main__"
    )


def _flatten_main(body: list[ast.stmt]) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for stmt in body:
        out += _flatten_main(stmt.body) if _is_main_guard(stmt) else [stmt]  # type: ignore[attr-defined]
    return out


def _collected_tests(body: list[ast.stmt]) -> list[Step]:
    """pytest/unittest style: what their collectors would find, in source order."""
    tests = []
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name.startswith("test"):
            if not isinstance(stmt, ast.AsyncFunctionDef):
                tests.append(_call_step(f"{stmt.name}()", f"{stmt.name}()"))
        elif isinstance(stmt, ast.ClassDef):
            unit = any(_base_name(b) == "TestCase" for b in stmt.bases)
            if not (unit or stmt.name.startswith("Test")):
                continue
            for m in stmt.body:
                if isinstance(m, ast.FunctionDef) and m.name.startswith("test"):
                    call = (
                        f"{UNITTEST_HOOK}({stmt.name}, {m.name!r})" if unit else f"{stmt.name}().{m.name}()"
                    )
                    tests.append(_call_step(call, f"{stmt.name}.{m.name}"))
    return tests


def _base_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _call_step(source: str, title: str) -> Step:
    return Step(_instrument(ast.parse(source)), title[:MAX_TITLE_CHARS], True)


def _module(stmt: ast.stmt) -> ast.Module:
    """`stmt` alone, instrumented: a copy, so the tree the plan is read from stays as written."""
    return _instrument(ast.Module([copy.deepcopy(stmt)], []))


class _Hook(ast.NodeTransformer):
    def visit_Assert(self, node: ast.Assert) -> ast.AST | list[ast.stmt]:
        self.generic_visit(node)
        if _trivially_true(node):
            return node
        call = ast.Expr(ast.Call(ast.Name(CHECK_HOOK, ast.Load()), [], []))
        return [ast.copy_location(call, node), node]

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not _callee_name(node.func).startswith(CHECK_CALL_PREFIXES):
            return node
        checked = ast.Call(ast.Name(CHECKED_CALL, ast.Load()), [node.func, *node.args], node.keywords)
        return ast.copy_location(checked, node)


def _callee_name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _instrument(module: ast.Module) -> ast.Module:
    return ast.fix_missing_locations(_Hook().visit(module))


def _titler(source: str):
    def title(stmt: ast.stmt) -> str:
        lines = (ast.get_source_segment(source, stmt) or "").strip().splitlines()
        return (lines[0] if lines else "test")[:MAX_TITLE_CHARS]

    return title


def _free_names(tree: ast.Module) -> frozenset[str]:
    """Names read somewhere and bound nowhere in the test code, builtins excluded: the only names
    of the program's the tests may see. (Conservative: bound in any scope counts as bound.)"""
    loaded: set[str] = set()
    bound: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            (loaded if isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(n.name)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, ast.alias):
            bound.add((n.asname or n.name).split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            bound.add(n.name)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            bound.update(n.names)
    return frozenset(loaded - bound - set(dir(builtins)))
