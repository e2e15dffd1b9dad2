"""A pool of worker processes with hard deadlines: a job past its deadline kills its worker.

math-verify times out with `signal.alarm`, which only works on the main thread of the main
interpreter; in a threaded or asyncio server it raises or is switched off, and a pathological
answer (`5^{5^{5^{5^5}}}`) then hangs forever. `asyncio.wait_for` cannot interrupt CPU-bound
code either. So every parse and comparison runs in a worker process, and the parent waits on
the pipe with a deadline: when it passes, the worker is SIGKILLed and replaced (forked from a
warm forkserver, so the replacement is ready in milliseconds) and the remaining items of the
job continue on the new worker.

Protocol (parent → worker): a `Job` (kind "answers", "completions" or "plain", the gold, the
items, the sample's answer type and the request's overrides of the config).
Worker → parent: one `("gold", None)` once the gold is parsed, then one `("item", (equal,
status, detail))` per item, in order. Items stream back one by one so that each has its own deadline.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import resource
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any, Literal, cast

import math_verify

from rewards.math.config import AnswerType, MathConfig, Overrides
from rewards.math.extract import final_answer, gold_answer, is_reply
from rewards.math.grade import Answer, Judgement, grade, prepare

__all__ = ["Job", "PoolClosed", "WorkerPool"]

# "plain" runs math-verify alone (`verify(parse(gold), parse(pred))`): the baseline that
# `referee verify --report` (referee/verify.py) compares with, under the same kill-deadlines
Kind = Literal["answers", "completions", "plain"]


class PoolClosed(RuntimeError):
    """The pool was closed (or never started): call `start()` first, or use `async with`."""


_START_TIMEOUT_S = 120.0  # the first start also starts the forkserver and warms math-verify
# forkserver children re-import the parent's main module (as multiprocessing's spawn does)
_START_FAILED = (
    "math worker processes died at start. They re-import the main module of this program: run it "
    "from a file or with `python -m`, keep its entry point under `if __name__ == '__main__':`, "
    "and see the workers' traceback on stderr"
)


# ---- worker side ----------------------------------------------------------------------------


class _Worker:
    """State living in one worker process: prepared (parsed) answers and remembered verdicts."""

    def __init__(self, config: MathConfig) -> None:
        self.config = config
        self.answers: OrderedDict[str, Answer] = OrderedDict()  # golds and predictions alike
        self.verdicts: OrderedDict[tuple[object, ...], Judgement] = OrderedDict()
        self.configs: dict[Overrides, MathConfig] = {}

    def answer(self, raw: str) -> Answer:
        """`prepare(raw)`, remembered: golds recur across groups, short answers ("2") everywhere."""
        answer = self.answers.get(raw)
        if answer is None:
            answer = prepare(raw, self.config)
            _remember(self.answers, raw, answer, self.config.cache_size // 4)
        return answer

    def gold(self, raw: str) -> tuple[Answer, str]:
        """The gold's final answer, prepared, and what was taken from it ("" when the gold is the
        answer itself). A gold only math-verify can read is parsed now, under the gold's own
        deadline; one a fast path reads is parsed only if a prediction needs it (briefly, then)."""
        taken = gold_answer(raw)
        answer = self.answer(taken.text or raw)
        if answer.refusal is None and not answer.fast_path_reads():
            answer.parsed()
        return answer, taken.source

    def judge(self, gold: Answer, text: str, config: MathConfig, answer_type: AnswerType | None) -> Judgement:
        key = (gold.raw, text, answer_type, config.numeric_precision)
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = grade(gold, self.answer(text), config, answer_type)
            _remember(self.verdicts, key, verdict, self.config.cache_size)
        return verdict

    def item(self, job: Job, gold: Answer, item: str) -> Judgement:
        if job.kind == "plain":
            return _plain_math_verify(job.gold, item)
        config = self.configs.get(job.overrides)
        if config is None:
            config = self.configs.setdefault(job.overrides, job.overrides.apply(self.config))

        def same(a: str, b: str) -> bool:
            return self.judge(self.answer(f"\\boxed{{{a}}}"), f"\\boxed{{{b}}}", config, None).equal

        if job.kind == "answers" and not is_reply(item, config):
            return self.judge(gold, item, config, job.answer_type)
        found = final_answer(item, config, same=same, gold_parts=gold.multipart, answer_type=job.answer_type)
        if found.text is None:
            return Judgement(False, "OK", found.source)
        verdict = self.judge(gold, found.text, config, job.answer_type)
        source = found.source if job.kind == "completions" else f"read as a whole reply, {found.source}"
        return Judgement(verdict.equal, verdict.status, f"{source}: {verdict.detail}")


@dataclass(frozen=True, slots=True)
class Job:
    """One gold and its items, as sent to a worker."""

    kind: Kind
    gold: str
    items: tuple[str, ...]
    answer_type: AnswerType | None = None
    overrides: Overrides = field(default_factory=Overrides)


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    if size > 0:
        cache[key] = value
        if len(cache) > size:
            cache.popitem(last=False)


def _plain_math_verify(gold: str, pred: str) -> Judgement:
    """math-verify 0.9.0 with its defaults, for side-by-side reports (its signal timeouts work
    here: a worker runs jobs on its main thread)."""
    g, p = math_verify.parse(gold), math_verify.parse(pred)
    equal = math_verify.verify(g, p)
    return Judgement(
        equal, "OK", f"parsed gold {_short(g)}, pred {_short(p)}: {'equal' if equal else 'not equal'}"
    )


def _short(parsed: list[object]) -> str:
    s = str(parsed[0]) if parsed else "nothing"
    return s if len(s) <= 40 else s[:39] + "…"


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space so an answer that builds a huge integer fails fast instead of swapping.

    The cap is headroom above what the worker already maps: a worker forked for a program that
    imported torch (and mapped gigabytes of libraries) must still be able to allocate."""
    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return  # not Linux: rely on the deadline alone
    limit = mapped + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or limit < hard:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn: Connection, config_json: str) -> None:
    config = MathConfig.model_validate_json(config_json)
    _limit_memory(config.memory_mb)
    worker = _Worker(config)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        taken = ""
        try:
            # the plain baseline only needs the raw gold: our own parse must not slow or fail it
            gold, taken = (worker.answer(job.gold), "") if job.kind == "plain" else worker.gold(job.gold)
        except Exception as exc:  # a gold that breaks the parser fails its group, not the worker
            gold = prepare("", config)
            gold.refusal = f"gold could not be parsed: {type(exc).__name__}"
        conn.send(("gold", None))
        for item in job.items:
            try:
                j = worker.item(job, gold, item)
                if taken:  # `#### 72`, `Answer is 7.0`: say what was read as the gold
                    j = Judgement(j.equal, j.status, f"gold taken from {taken}; {j.detail}")
            except MemoryError:
                j = Judgement(False, "ERROR", f"ran out of memory (limit {config.memory_mb} MB)")
            except RecursionError:
                j = Judgement(False, "INVALID_INPUT", "answer nested too deeply to parse")
            except Exception as exc:  # sympy raises anything; never let one item kill the job
                j = Judgement(False, "ERROR", f"{type(exc).__name__} while grading")
            conn.send(("item", (j.equal, j.status, j.detail)))


# ---- parent side ----------------------------------------------------------------------------


def _context() -> mp.context.ForkServerContext:
    # forkserver: workers fork from a clean, warm process, never from the (threaded) server
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["rewards.math._preload"])
    return ctx


@dataclass(eq=False)  # identity hash: kept in a set
class _Proc:
    process: mp.process.BaseProcess
    conn: Connection


class WorkerPool:
    """`config.workers` processes; `run()` is blocking and thread-safe (one job per worker at a time)."""

    def __init__(self, config: MathConfig) -> None:
        self.config = config
        self._config_json = config.model_dump_json()
        self._idle: queue.Queue[_Proc | None] = queue.Queue()
        self._all: set[_Proc] = set()
        self._lock = threading.Lock()
        self._closed = True
        self.kills = 0  # workers killed for running past a deadline (for tests and metrics)
        # golds whose parse ran past the deadline: refused at once next time, not after another kill
        self._slow_golds: OrderedDict[str, None] = OrderedDict()

    def _spawn(self) -> _Proc:
        if self._closed:
            raise PoolClosed("the math worker pool was closed")
        ctx = _context()
        parent, child = ctx.Pipe()
        process = ctx.Process(
            target=_worker_main, args=(child, self._config_json), daemon=True, name="referee-math"
        )
        process.start()
        child.close()
        proc = _Proc(process, parent)
        with self._lock:
            self._all.add(proc)
        return proc

    def _kill(self, proc: _Proc) -> None:
        """Kill once: `close()` and the thread running the worker's job may both try."""
        with self._lock:
            if proc not in self._all:
                return
            self._all.discard(proc)
        proc.process.kill()
        proc.process.join(5)
        proc.conn.close()

    def start(self) -> None:
        with self._lock:
            if not self._closed:
                return
            self._closed = False
        for _ in range(self.config.workers):
            proc = self._spawn()
            if not self._answers(proc, _START_TIMEOUT_S):
                self.close()
                raise PoolClosed(_START_FAILED)
            self._idle.put(proc)

    def _answers(self, proc: _Proc, timeout_s: float) -> bool:
        """Whether a fresh worker answers a trivial job (it may die importing the main module)."""
        try:
            proc.conn.send(Job("answers", "1", ("1",)))
        except OSError:
            return False
        return self._receive(proc, timeout_s) is not None and self._receive(proc, timeout_s) is not None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            procs = list(self._all)
        for proc in procs:
            self._kill(proc)
        for _ in range(len(procs) + 64):  # wake every thread waiting for a worker
            self._idle.put(None)

    @property
    def closed(self) -> bool:
        return self._closed

    def _receive(self, proc: _Proc, deadline_s: float) -> tuple[str, object] | None:
        """The next message, or None when the deadline passed or the worker died."""
        try:
            if not proc.conn.poll(deadline_s):
                return None
            return proc.conn.recv()
        except (EOFError, OSError):
            return None

    def run(self, job: Job) -> list[Judgement]:
        """Judge `job.items` against `job.gold` on one worker; each item has `timeout_ms` from the
        moment the worker is ready for it. Raises `PoolClosed` if the pool is closed."""
        gold, items = job.gold, job.items
        if self._closed:
            raise PoolClosed("the math worker pool is not running; call start() first")
        if gold in self._slow_golds:
            why = f"gold took longer than {self.config.timeout_ms} ms to parse (earlier)"
            return [Judgement(False, "TIMEOUT", why)] * len(items)
        proc: _Proc | None = self._idle.get()
        if proc is None or self._closed:
            self._idle.put(None)
            raise PoolClosed("the math worker pool was closed")
        timeout_s = self.config.timeout_ms / 1000
        out: list[Judgement] = []
        broken_pipes = 0
        try:
            while len(out) < len(items):
                if proc is None:  # the last one was killed and items remain: they need a worker now
                    proc = self._spawn()
                todo = list(items[len(out) :])
                try:
                    proc.conn.send(replace(job, items=tuple(todo)))
                except (BrokenPipeError, OSError):
                    self._discard(proc)
                    proc = None
                    broken_pipes += 1
                    if broken_pipes > 2:
                        out += [Judgement(False, "ERROR", "math worker could not be started")] * len(todo)
                    continue
                if self._receive(proc, timeout_s) is None:  # the gold's parse
                    why = f"gold took longer than {self.config.timeout_ms} ms to parse"
                    lost, _ = self._lost(proc, "worker died", why)
                    proc = None
                    out += [lost] * len(todo)
                    break
                proc, done = self._collect(proc, gold, todo, timeout_s)
                out += done
        finally:
            if proc is None:
                self._refill()
            elif self._closed:
                self._kill(proc)
            else:
                self._idle.put(proc)
        return out

    def _collect(
        self, proc: _Proc, gold: str, todo: list[str], timeout_s: float
    ) -> tuple[_Proc | None, list[Judgement]]:
        """The worker's verdicts on `todo`, each within timeout_s, and the worker to go on with:
        None once it is lost (then fewer verdicts than items, unless the gold is to blame)."""
        done: list[Judgement] = []
        for _ in todo:
            started = time.monotonic()
            msg = self._receive(proc, timeout_s)
            if msg is not None:
                equal, status, detail = cast("tuple[bool, str, str]", msg[1])  # the "item" payload
                done.append(Judgement(equal, status, detail))
                continue
            waited = int((time.monotonic() - started) * 1000)
            late = f"no verdict within {self.config.timeout_ms} ms (killed after {waited} ms)"
            lost, slow = self._lost(proc, "worker died while grading (memory?)", late)
            done.append(lost)
            if not slow or len(done) == len(todo):
                return None, done
            probed = self._probe(gold, timeout_s)
            if probed is None:  # the gold is to blame: spare the rest a kill each
                why = f"gold cannot be compared within {self.config.timeout_ms} ms"
                done += [Judgement(False, "TIMEOUT", why)] * (len(todo) - len(done))
            return probed, done
        return proc, done

    def _lost(self, proc: _Proc, died: str, late: str) -> tuple[Judgement, bool]:
        """A worker that gave no answer in time, discarded: ERROR when it died (a crash, memory),
        TIMEOUT when it was only slow (then True)."""
        if self._closed:
            raise PoolClosed("the math worker pool was closed during the call")
        dead = not proc.process.is_alive()
        self._discard(proc)
        return (Judgement(False, "ERROR", died), False) if dead else (Judgement(False, "TIMEOUT", late), True)

    def _probe(self, gold: str, timeout_s: float) -> _Proc | None:
        """After a timeout: is the gold itself slow (`(10^{12})!`)? Compare it with `0` on a fresh
        worker; the worker is returned when it answers in time, else the gold is remembered."""
        proc = self._spawn()
        try:
            proc.conn.send(Job("answers", gold, ("0",)))
            if self._receive(proc, timeout_s) is not None and self._receive(proc, timeout_s) is not None:
                return proc
        except (BrokenPipeError, OSError):
            pass
        self._discard(proc)
        self._remember_slow(gold)
        return None

    def _remember_slow(self, gold: str) -> None:
        with self._lock:
            self._slow_golds[gold] = None
            if len(self._slow_golds) > 1024:
                self._slow_golds.popitem(last=False)

    def _discard(self, proc: _Proc) -> None:
        """Kill a worker that ran past its deadline (or broke); its replacement comes later."""
        self.kills += 1
        self._kill(proc)

    def _refill(self) -> None:
        """Start a replacement worker in the background, so the caller gets its TIMEOUT now."""

        def spawn() -> None:
            if self._closed:
                return
            proc = self._spawn()
            if self._closed:
                self._kill(proc)
            else:
                self._idle.put(proc)

        threading.Thread(target=spawn, name="referee-math-respawn", daemon=True).start()
