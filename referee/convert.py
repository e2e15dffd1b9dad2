"""Protobuf messages <-> domain types, in one place for the server and the client.

Validation that needs the request's shape (field names, indexes) happens here, so a
malformed request fails with a message naming the field, e.g.
`samples[3].code.language: required`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from google.protobuf import json_format

from referee.v1 import referee_pb2 as pb
from rewards.compose import RewardSpec
from rewards.datasets import code_reference
from rewards.errors import InvalidRequest
from rewards.registry import Reward
from rewards.types import CodeReference, IOCase, MathReference, RewardResult, Sample, SampleResult, Status
from sandbox.types import CellResult, Comparator, ExecuteResult, OutputMatch, RunStatus, SessionInfo

__all__ = [
    "cell_result_from_proto",
    "cell_result_to_proto",
    "execute_response_to_json",
    "execute_result_to_proto",
    "reference_from_label",
    "reward_info_to_proto",
    "sample_from_json",
    "sample_from_proto",
    "sample_result_from_proto",
    "sample_result_to_proto",
    "sample_to_proto",
    "session_info_from_proto",
    "session_info_to_proto",
    "spec_from_json",
    "specs_from_proto",
    "specs_to_proto",
]


def sample_from_json(s: Mapping[str, Any]) -> pb.Sample:
    """A sample in the API's JSON shape (`{"id", "completion", "math": {"gold"}}` …) as a message;
    `dataset_row.row` may be the row itself rather than its JSON text."""
    s = dict(s)
    row = s.get("dataset_row")
    if isinstance(row, dict) and "row" in row:
        s["dataset_row"] = {
            **{k: v for k, v in row.items() if k != "row"},
            "row_json": json.dumps(row["row"]),
        }
    return json_format.ParseDict(s, pb.Sample())


def spec_from_json(r: RewardSpec | str | Mapping[str, Any]) -> RewardSpec:
    """A reward named by a string, or `{"name", "weight", "params"}`."""
    if isinstance(r, RewardSpec):
        return r
    if isinstance(r, str):
        return RewardSpec(r)
    return RewardSpec(r["name"], r.get("weight", 1.0), r.get("params", {}))


def reference_from_label(label: Any) -> dict[str, Any]:
    """A trainer's label or ground truth as a sample's reference, in the API's JSON shape: a string
    (or number) is a math gold; a mapping is `{"gold": …}` or code tests (`{"language",
    "test_code", "entry_point"}` / `{"cases"}`)."""
    if isinstance(label, Mapping):
        if "gold" in label:
            return {"math": {"gold": str(label["gold"])}}
        return {"code": dict(label)}
    return {"math": {"gold": str(label)}}


def _code_from_proto(c: pb.CodeReference, where: str) -> CodeReference:
    if not c.language:
        raise InvalidRequest(f"{where}.language: required (e.g. 'python')")
    if not c.test_code and not c.cases:
        raise InvalidRequest(f"{where}: give test_code or cases")
    if c.test_code and c.cases:
        raise InvalidRequest(f"{where}: give test_code or cases, not both")
    return CodeReference(
        language=c.language,
        test_code=c.test_code,
        entry_point=c.entry_point,
        cases=tuple(IOCase(x.stdin, x.expected_stdout) for x in c.cases),
        timeout_ms=c.limits.timeout_ms or None,
        memory_mb=c.limits.memory_mb or None,
        stop_on_first_failure=c.stop_on_first_failure,
        prelude=c.prelude,
        interactor=c.interactor,
        output_match=_output_match_from_proto(c.output_match, f"{where}.output_match"),
    )


def execute_result_to_proto(r: ExecuteResult) -> pb.ExecuteResponse:
    return pb.ExecuteResponse(
        status=pb.ExecuteResponse.Status.Value(str(r.status)),
        exit_code=r.exit_code,
        stdout=r.stdout,
        stderr=r.stderr,
        wall_ms=r.wall_ms,
        detail=r.detail,
        cpu_ms=r.cpu_ms,
    )


def session_info_from_proto(language: str, r: pb.CreateSessionResponse) -> SessionInfo:
    return SessionInfo(
        r.session_id, language, r.limits.timeout_ms, r.limits.memory_mb, r.idle_ttl_s, r.max_lifetime_s
    )


def cell_result_from_proto(r: pb.RunCellResponse) -> CellResult:
    return CellResult(
        RunStatus(pb.ExecuteResponse.Status.Name(r.status)),
        r.stdout,
        r.stderr,
        r.value,
        r.wall_ms,
        r.cpu_ms,
        r.detail,
        r.state_lost,
        r.execution_count,
    )


def cell_result_to_proto(r: CellResult) -> pb.RunCellResponse:
    return pb.RunCellResponse(
        status=pb.ExecuteResponse.Status.Value(str(r.status)),
        stdout=r.stdout,
        stderr=r.stderr,
        value=r.value,
        wall_ms=r.wall_ms,
        cpu_ms=r.cpu_ms,
        detail=r.detail,
        state_lost=r.state_lost,
        execution_count=r.execution_count,
    )


def session_info_to_proto(info: SessionInfo) -> pb.CreateSessionResponse:
    return pb.CreateSessionResponse(
        session_id=info.id,
        limits=pb.Limits(timeout_ms=info.timeout_ms, memory_mb=info.memory_mb),
        idle_ttl_s=info.idle_ttl_s,
        max_lifetime_s=info.max_lifetime_s,
    )


def execute_response_to_json(m: pb.ExecuteResponse) -> dict[str, Any]:
    """The one JSON shape of an execute result (`referee exec`, in-process or through a server)."""
    return {
        "status": pb.ExecuteResponse.Status.Name(m.status),
        "exit_code": m.exit_code,
        "stdout": m.stdout,
        "stderr": m.stderr,
        "wall_ms": round(m.wall_ms, 2),
        "cpu_ms": round(m.cpu_ms, 2),
        "detail": m.detail,
    }


def _code_from_row(d: pb.DatasetRow, where: str) -> CodeReference:
    try:
        row = json.loads(d.row_json)
        return code_reference(d.dataset, row, d.language)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(f"{where}.row_json: not valid JSON: {exc}") from None
    except InvalidRequest as exc:
        raise InvalidRequest(f"{where}.{exc}") from None


def _output_match_from_proto(m: pb.OutputMatch, where: str) -> OutputMatch:
    try:
        tolerance = {"float_tolerance": m.float_tolerance} if m.HasField("float_tolerance") else {}
        return OutputMatch(
            Comparator(m.comparator or "lines"),
            ignore_case=m.ignore_case,
            checker=m.checker,
            checker_language=m.checker_language or "python",
            **tolerance,
        )
    except ValueError as exc:
        raise InvalidRequest(
            f"{where}: {exc} (comparators: {', '.join(c.value for c in Comparator)})"
        ) from None


def sample_from_proto(s: pb.Sample, where: str) -> Sample:
    if not s.id:
        raise InvalidRequest(f"{where}.id: required")
    ref = s.WhichOneof("reference")
    code = None
    if ref == "code":
        code = _code_from_proto(s.code, f"{where}.code")
    elif ref == "dataset_row":
        code = _code_from_row(s.dataset_row, f"{where}.dataset_row")
    return Sample(
        id=s.id,
        prompt=s.prompt,
        completion=s.completion,
        language=s.language or None,
        math=MathReference(s.math.gold, s.math.answer_type) if ref == "math" else None,
        code=code,
        completion_tokens=s.completion_tokens if s.HasField("completion_tokens") else None,
    )


def sample_to_proto(s: Sample) -> pb.Sample:
    msg = pb.Sample(id=s.id, prompt=s.prompt, completion=s.completion, language=s.language or "")
    if s.completion_tokens is not None:
        msg.completion_tokens = s.completion_tokens
    if s.math is not None:
        msg.math.gold = s.math.gold
        msg.math.answer_type = s.math.answer_type
    if s.code is not None:
        c = s.code
        msg.code.CopyFrom(
            pb.CodeReference(
                language=c.language,
                test_code=c.test_code,
                entry_point=c.entry_point,
                cases=[pb.IOCase(stdin=x.stdin, expected_stdout=x.expected_stdout) for x in c.cases],
                limits=pb.Limits(timeout_ms=c.timeout_ms or 0, memory_mb=c.memory_mb or 0),
                stop_on_first_failure=c.stop_on_first_failure,
                prelude=c.prelude,
                interactor=c.interactor,
                output_match=pb.OutputMatch(
                    comparator=c.output_match.comparator.value,
                    float_tolerance=c.output_match.float_tolerance,
                    ignore_case=c.output_match.ignore_case,
                    checker=c.output_match.checker,
                    checker_language=c.output_match.checker_language,
                ),
            )
        )
    return msg


def specs_from_proto(specs: Sequence[pb.RewardSpec]) -> list[RewardSpec]:
    out = []
    for i, r in enumerate(specs):
        if not r.name:
            raise InvalidRequest(f"rewards[{i}].name: required")
        params = json_format.MessageToDict(r.params) if r.HasField("params") else {}
        out.append(RewardSpec(r.name, r.weight if r.HasField("weight") else 1.0, params))
    return out


def specs_to_proto(specs: Sequence[RewardSpec]) -> list[pb.RewardSpec]:
    out = []
    for s in specs:
        msg = pb.RewardSpec(name=s.name, weight=s.weight)
        if s.params:
            msg.params.update(dict(s.params))
        out.append(msg)
    return out


def sample_result_to_proto(r: SampleResult) -> pb.SampleResult:
    return pb.SampleResult(
        id=r.id,
        total=r.total,
        rewards=[
            pb.RewardValue(
                name=name, value=v.value, status=pb.RewardValue.Status.Value(v.status.value), detail=v.detail
            )
            for name, v in r.rewards.items()
        ],
    )


def sample_result_from_proto(r: pb.SampleResult) -> SampleResult:
    rewards = {
        v.name: RewardResult(v.value, Status(pb.RewardValue.Status.Name(v.status)), v.detail)
        for v in r.rewards
    }
    return SampleResult(r.id, r.total, rewards)


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


def reward_info_to_proto(reward: Reward[Any]) -> pb.RewardInfo:
    params = [
        pb.ParameterInfo(
            name=name,
            type=_type_name(f.annotation),
            default_json=json.dumps(f.default, default=str),
            description=f.description or "",
        )
        for name, f in reward.params.model_fields.items()
    ]
    lo, hi = reward.value_range
    return pb.RewardInfo(
        name=reward.name,
        description=reward.description,
        parameters=params,
        min_value=lo,
        max_value=hi,
        group=reward.group,
    )
