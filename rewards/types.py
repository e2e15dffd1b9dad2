"""The domain types every reward speaks: what a sample holds and what a reward returns.

Nothing here knows about gRPC; `referee.server` converts protobuf messages to and
from these types at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sandbox.types import IOCase, JudgeSpec

__all__ = [
    "UNSCORABLE",
    "CodeReference",
    "IOCase",
    "MathReference",
    "RewardResult",
    "Sample",
    "SampleResult",
    "Status",
]


class Status(StrEnum):
    """Why a reward has the value it has. Only OK means the value is a real judgement."""

    OK = "OK"
    TIMEOUT = "TIMEOUT"  # the check ran past its deadline: never credit
    ERROR = "ERROR"  # the reward function itself failed on this sample
    INVALID_INPUT = "INVALID_INPUT"  # the sample lacks what the reward needs
    SANDBOX_ERROR = "SANDBOX_ERROR"  # infrastructure failed: "cannot score", not "wrong"


# The statuses that mean "cannot score" rather than "wrong": a trainer must skip such a sample
# (and its group), never train on its 0.0. TIMEOUT is a verdict (no credit), not one of them.
# The one definition: the trainer, the TRL and verl adapters and the filter all use it.
UNSCORABLE: frozenset[str] = frozenset({Status.SANDBOX_ERROR, Status.ERROR, Status.INVALID_INPUT})


@dataclass(frozen=True, slots=True)
class MathReference:
    gold: str
    answer_type: str = ""  # "choice", "number", …, "text" (rewards.math.ANSWER_TYPES); "": inferred


# A code sample's tests are the judge's spec without its program (the code reward fills it in):
# one type, so a new test field is written once (sandbox/types.py).
CodeReference = JudgeSpec


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    prompt: str
    completion: str
    language: str | None = None  # target natural language of the reasoning ("en", "zh", ...)
    math: MathReference | None = None
    code: CodeReference | None = None
    completion_tokens: int | None = None  # length in tokens when the trainer knows it


@dataclass(frozen=True, slots=True)
class RewardResult:
    value: float
    status: Status = Status.OK
    detail: str = ""

    @classmethod
    def fail(cls, status: Status, detail: str) -> RewardResult:
        """A result that gives no credit, with the reason."""
        return cls(0.0, status, detail)


@dataclass(frozen=True, slots=True)
class SampleResult:
    id: str
    total: float
    rewards: dict[str, RewardResult] = field(default_factory=dict)
