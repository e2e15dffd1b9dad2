from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ScoreRequest(_message.Message):
    __slots__ = ("request_id", "samples", "rewards")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    REWARDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    samples: _containers.RepeatedCompositeFieldContainer[Sample]
    rewards: _containers.RepeatedCompositeFieldContainer[RewardSpec]
    def __init__(self, request_id: _Optional[str] = ..., samples: _Optional[_Iterable[_Union[Sample, _Mapping]]] = ..., rewards: _Optional[_Iterable[_Union[RewardSpec, _Mapping]]] = ...) -> None: ...

class Sample(_message.Message):
    __slots__ = ("id", "prompt", "completion", "language", "math", "code", "dataset_row", "completion_tokens")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MATH_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DATASET_ROW_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    id: str
    prompt: str
    completion: str
    language: str
    math: MathReference
    code: CodeReference
    dataset_row: DatasetRow
    completion_tokens: int
    def __init__(self, id: _Optional[str] = ..., prompt: _Optional[str] = ..., completion: _Optional[str] = ..., language: _Optional[str] = ..., math: _Optional[_Union[MathReference, _Mapping]] = ..., code: _Optional[_Union[CodeReference, _Mapping]] = ..., dataset_row: _Optional[_Union[DatasetRow, _Mapping]] = ..., completion_tokens: _Optional[int] = ...) -> None: ...

class DatasetRow(_message.Message):
    __slots__ = ("dataset", "row_json", "language")
    DATASET_FIELD_NUMBER: _ClassVar[int]
    ROW_JSON_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    dataset: str
    row_json: str
    language: str
    def __init__(self, dataset: _Optional[str] = ..., row_json: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class MathReference(_message.Message):
    __slots__ = ("gold", "answer_type")
    GOLD_FIELD_NUMBER: _ClassVar[int]
    ANSWER_TYPE_FIELD_NUMBER: _ClassVar[int]
    gold: str
    answer_type: str
    def __init__(self, gold: _Optional[str] = ..., answer_type: _Optional[str] = ...) -> None: ...

class CodeReference(_message.Message):
    __slots__ = ("language", "test_code", "entry_point", "cases", "limits", "stop_on_first_failure", "prelude", "output_match", "interactor")
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TEST_CODE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_POINT_FIELD_NUMBER: _ClassVar[int]
    CASES_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    STOP_ON_FIRST_FAILURE_FIELD_NUMBER: _ClassVar[int]
    PRELUDE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_MATCH_FIELD_NUMBER: _ClassVar[int]
    INTERACTOR_FIELD_NUMBER: _ClassVar[int]
    language: str
    test_code: str
    entry_point: str
    cases: _containers.RepeatedCompositeFieldContainer[IOCase]
    limits: Limits
    stop_on_first_failure: bool
    prelude: str
    output_match: OutputMatch
    interactor: str
    def __init__(self, language: _Optional[str] = ..., test_code: _Optional[str] = ..., entry_point: _Optional[str] = ..., cases: _Optional[_Iterable[_Union[IOCase, _Mapping]]] = ..., limits: _Optional[_Union[Limits, _Mapping]] = ..., stop_on_first_failure: _Optional[bool] = ..., prelude: _Optional[str] = ..., output_match: _Optional[_Union[OutputMatch, _Mapping]] = ..., interactor: _Optional[str] = ...) -> None: ...

class OutputMatch(_message.Message):
    __slots__ = ("comparator", "float_tolerance", "ignore_case", "checker", "checker_language")
    COMPARATOR_FIELD_NUMBER: _ClassVar[int]
    FLOAT_TOLERANCE_FIELD_NUMBER: _ClassVar[int]
    IGNORE_CASE_FIELD_NUMBER: _ClassVar[int]
    CHECKER_FIELD_NUMBER: _ClassVar[int]
    CHECKER_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    comparator: str
    float_tolerance: float
    ignore_case: bool
    checker: str
    checker_language: str
    def __init__(self, comparator: _Optional[str] = ..., float_tolerance: _Optional[float] = ..., ignore_case: _Optional[bool] = ..., checker: _Optional[str] = ..., checker_language: _Optional[str] = ...) -> None: ...

class IOCase(_message.Message):
    __slots__ = ("stdin", "expected_stdout")
    STDIN_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_STDOUT_FIELD_NUMBER: _ClassVar[int]
    stdin: str
    expected_stdout: str
    def __init__(self, stdin: _Optional[str] = ..., expected_stdout: _Optional[str] = ...) -> None: ...

class Limits(_message.Message):
    __slots__ = ("timeout_ms", "memory_mb")
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MB_FIELD_NUMBER: _ClassVar[int]
    timeout_ms: int
    memory_mb: int
    def __init__(self, timeout_ms: _Optional[int] = ..., memory_mb: _Optional[int] = ...) -> None: ...

class RewardSpec(_message.Message):
    __slots__ = ("name", "weight", "params")
    NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    name: str
    weight: float
    params: _struct_pb2.Struct
    def __init__(self, name: _Optional[str] = ..., weight: _Optional[float] = ..., params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ScoreResponse(_message.Message):
    __slots__ = ("request_id", "results", "error")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    results: _containers.RepeatedCompositeFieldContainer[SampleResult]
    error: str
    def __init__(self, request_id: _Optional[str] = ..., results: _Optional[_Iterable[_Union[SampleResult, _Mapping]]] = ..., error: _Optional[str] = ...) -> None: ...

class SampleResult(_message.Message):
    __slots__ = ("id", "total", "rewards")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    REWARDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    total: float
    rewards: _containers.RepeatedCompositeFieldContainer[RewardValue]
    def __init__(self, id: _Optional[str] = ..., total: _Optional[float] = ..., rewards: _Optional[_Iterable[_Union[RewardValue, _Mapping]]] = ...) -> None: ...

class RewardValue(_message.Message):
    __slots__ = ("name", "value", "status", "detail")
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATUS_UNSPECIFIED: _ClassVar[RewardValue.Status]
        OK: _ClassVar[RewardValue.Status]
        TIMEOUT: _ClassVar[RewardValue.Status]
        ERROR: _ClassVar[RewardValue.Status]
        INVALID_INPUT: _ClassVar[RewardValue.Status]
        SANDBOX_ERROR: _ClassVar[RewardValue.Status]
    STATUS_UNSPECIFIED: RewardValue.Status
    OK: RewardValue.Status
    TIMEOUT: RewardValue.Status
    ERROR: RewardValue.Status
    INVALID_INPUT: RewardValue.Status
    SANDBOX_ERROR: RewardValue.Status
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: float
    status: RewardValue.Status
    detail: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[float] = ..., status: _Optional[_Union[RewardValue.Status, str]] = ..., detail: _Optional[str] = ...) -> None: ...

class ExecuteRequest(_message.Message):
    __slots__ = ("language", "source", "stdin", "files", "limits")
    class FilesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STDIN_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    language: str
    source: str
    stdin: str
    files: _containers.ScalarMap[str, str]
    limits: Limits
    def __init__(self, language: _Optional[str] = ..., source: _Optional[str] = ..., stdin: _Optional[str] = ..., files: _Optional[_Mapping[str, str]] = ..., limits: _Optional[_Union[Limits, _Mapping]] = ...) -> None: ...

class ExecuteResponse(_message.Message):
    __slots__ = ("status", "exit_code", "stdout", "stderr", "wall_ms", "detail", "cpu_ms")
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATUS_UNSPECIFIED: _ClassVar[ExecuteResponse.Status]
        OK: _ClassVar[ExecuteResponse.Status]
        RUNTIME_ERROR: _ClassVar[ExecuteResponse.Status]
        TIMEOUT: _ClassVar[ExecuteResponse.Status]
        MEMORY_LIMIT: _ClassVar[ExecuteResponse.Status]
        OUTPUT_LIMIT: _ClassVar[ExecuteResponse.Status]
        COMPILE_ERROR: _ClassVar[ExecuteResponse.Status]
        SANDBOX_ERROR: _ClassVar[ExecuteResponse.Status]
    STATUS_UNSPECIFIED: ExecuteResponse.Status
    OK: ExecuteResponse.Status
    RUNTIME_ERROR: ExecuteResponse.Status
    TIMEOUT: ExecuteResponse.Status
    MEMORY_LIMIT: ExecuteResponse.Status
    OUTPUT_LIMIT: ExecuteResponse.Status
    COMPILE_ERROR: ExecuteResponse.Status
    SANDBOX_ERROR: ExecuteResponse.Status
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    WALL_MS_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    CPU_MS_FIELD_NUMBER: _ClassVar[int]
    status: ExecuteResponse.Status
    exit_code: int
    stdout: str
    stderr: str
    wall_ms: float
    detail: str
    cpu_ms: float
    def __init__(self, status: _Optional[_Union[ExecuteResponse.Status, str]] = ..., exit_code: _Optional[int] = ..., stdout: _Optional[str] = ..., stderr: _Optional[str] = ..., wall_ms: _Optional[float] = ..., detail: _Optional[str] = ..., cpu_ms: _Optional[float] = ...) -> None: ...

class CreateSessionRequest(_message.Message):
    __slots__ = ("language", "limits", "idle_ttl_s")
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    IDLE_TTL_S_FIELD_NUMBER: _ClassVar[int]
    language: str
    limits: Limits
    idle_ttl_s: int
    def __init__(self, language: _Optional[str] = ..., limits: _Optional[_Union[Limits, _Mapping]] = ..., idle_ttl_s: _Optional[int] = ...) -> None: ...

class CreateSessionResponse(_message.Message):
    __slots__ = ("session_id", "limits", "idle_ttl_s", "max_lifetime_s")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    IDLE_TTL_S_FIELD_NUMBER: _ClassVar[int]
    MAX_LIFETIME_S_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    limits: Limits
    idle_ttl_s: int
    max_lifetime_s: int
    def __init__(self, session_id: _Optional[str] = ..., limits: _Optional[_Union[Limits, _Mapping]] = ..., idle_ttl_s: _Optional[int] = ..., max_lifetime_s: _Optional[int] = ...) -> None: ...

class RunCellRequest(_message.Message):
    __slots__ = ("session_id", "code", "timeout_ms")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    code: str
    timeout_ms: int
    def __init__(self, session_id: _Optional[str] = ..., code: _Optional[str] = ..., timeout_ms: _Optional[int] = ...) -> None: ...

class RunCellResponse(_message.Message):
    __slots__ = ("status", "stdout", "stderr", "value", "wall_ms", "cpu_ms", "detail", "state_lost", "execution_count")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    WALL_MS_FIELD_NUMBER: _ClassVar[int]
    CPU_MS_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    STATE_LOST_FIELD_NUMBER: _ClassVar[int]
    EXECUTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    status: ExecuteResponse.Status
    stdout: str
    stderr: str
    value: str
    wall_ms: float
    cpu_ms: float
    detail: str
    state_lost: bool
    execution_count: int
    def __init__(self, status: _Optional[_Union[ExecuteResponse.Status, str]] = ..., stdout: _Optional[str] = ..., stderr: _Optional[str] = ..., value: _Optional[str] = ..., wall_ms: _Optional[float] = ..., cpu_ms: _Optional[float] = ..., detail: _Optional[str] = ..., state_lost: _Optional[bool] = ..., execution_count: _Optional[int] = ...) -> None: ...

class CloseSessionRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class CloseSessionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLanguagesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLanguagesResponse(_message.Message):
    __slots__ = ("languages",)
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    languages: _containers.RepeatedCompositeFieldContainer[LanguageInfo]
    def __init__(self, languages: _Optional[_Iterable[_Union[LanguageInfo, _Mapping]]] = ...) -> None: ...

class LanguageInfo(_message.Message):
    __slots__ = ("name", "aliases", "kind", "version", "function_tests", "packages")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_TESTS_FIELD_NUMBER: _ClassVar[int]
    PACKAGES_FIELD_NUMBER: _ClassVar[int]
    name: str
    aliases: _containers.RepeatedScalarFieldContainer[str]
    kind: str
    version: str
    function_tests: bool
    packages: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., aliases: _Optional[_Iterable[str]] = ..., kind: _Optional[str] = ..., version: _Optional[str] = ..., function_tests: _Optional[bool] = ..., packages: _Optional[_Iterable[str]] = ...) -> None: ...

class ListRewardsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRewardsResponse(_message.Message):
    __slots__ = ("rewards",)
    REWARDS_FIELD_NUMBER: _ClassVar[int]
    rewards: _containers.RepeatedCompositeFieldContainer[RewardInfo]
    def __init__(self, rewards: _Optional[_Iterable[_Union[RewardInfo, _Mapping]]] = ...) -> None: ...

class RewardInfo(_message.Message):
    __slots__ = ("name", "description", "parameters", "min_value", "max_value", "group")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    MIN_VALUE_FIELD_NUMBER: _ClassVar[int]
    MAX_VALUE_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    parameters: _containers.RepeatedCompositeFieldContainer[ParameterInfo]
    min_value: float
    max_value: float
    group: bool
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., parameters: _Optional[_Iterable[_Union[ParameterInfo, _Mapping]]] = ..., min_value: _Optional[float] = ..., max_value: _Optional[float] = ..., group: _Optional[bool] = ...) -> None: ...

class ParameterInfo(_message.Message):
    __slots__ = ("name", "type", "default_json", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_JSON_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: str
    default_json: str
    description: str
    def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ..., default_json: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...
