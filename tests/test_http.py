"""The HTTP face on a real `referee serve --http-port 0`: SandboxFusion's /run_code and OpenRLHF's
/get_reward in the shapes their clients send (verl's call_sandbox_api payload, OpenRLHF's
_fetch_rewards_via_http payload), auth, and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import ServerProcess

pytestmark = [pytest.mark.docker, pytest.mark.slow]
TOKEN = "s3cret-http"


@pytest.fixture(scope="module")
def http() -> Iterator[str]:
    srv = ServerProcess("--http-port", "0", env={"REFEREE_SERVER__TOKEN": TOKEN})
    try:
        yield srv.http_url
    finally:
        srv.stop()


def post(url: str, path: str, body: object, token: str | None = TOKEN) -> requests.Response:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return requests.post(url + path, data=data, headers=headers, timeout=120)


def verl_payload(code: str, language: str = "python", stdin: str | None = None) -> dict[str, object]:
    """What verl 0.9.1's call_sandbox_api sends (its defaults: 10 s, 10 s, 1024 MB)."""
    return {"compile_timeout": 10, "run_timeout": 10, "code": code, "stdin": stdin, "memory_limit_MB": 1024,
            "language": language, "files": {}, "fetch_files": []}  # fmt: skip


def test_run_code_right_program_is_success(http: str) -> None:
    r = post(http, "/run_code", verl_payload("a, b = map(int, input().split())\nprint(a + b)", stdin="1 2\n"))
    body = r.json()
    assert r.status_code == 200 and body["status"] == "Success", body
    assert body["run_result"] == body["run_result"] | {
        "status": "Finished",
        "return_code": 0,
        "stdout": "3\n",
    }


@pytest.mark.parametrize(
    ("code", "run_status"),
    [
        ("import sys\nsys.exit(3)", "Finished"),
        ("import os\nos._exit(0) if False else os.kill(os.getpid(), 9)", "Finished"),
        ("while True: pass", "TimeLimitExceeded"),
        ("x = bytearray(1 << 31)", "Finished"),
    ],
)
def test_run_code_failures_never_read_as_return_code_zero(http: str, code: str, run_status: str) -> None:
    body = post(http, "/run_code", verl_payload(code) | {"run_timeout": 1, "memory_limit_MB": 64}).json()
    assert body["status"] == "Failed", body
    assert body["run_result"]["status"] == run_status and body["run_result"]["return_code"] != 0


def test_run_code_cpp_compile_result(http: str) -> None:
    ok = post(http, "/run_code", verl_payload('#include <cstdio>\nint main(){puts("hi");}', "cpp")).json()
    assert ok["status"] == "Success" and ok["compile_result"]["return_code"] == 0, ok
    assert ok["run_result"]["stdout"] == "hi\n"
    bad = post(http, "/run_code", verl_payload("int main( {", "cpp")).json()
    assert bad["status"] == "Failed" and bad["run_result"] is None
    assert bad["compile_result"]["status"] == "Finished" and bad["compile_result"]["return_code"] != 0


def test_run_code_clamps_limits_and_says_so(http: str) -> None:
    body = post(
        http, "/run_code", verl_payload("print(1)") | {"run_timeout": 1000, "memory_limit_MB": 10**6}
    ).json()
    assert body["status"] == "Success"
    assert "run_timeout" in body["message"] and "memory_limit_MB" in body["message"]


def test_run_code_null_limits_are_the_defaults(http: str) -> None:
    # verl's default_compute_score, called without memory_limit_mb, sends null.
    nulls = {
        "memory_limit_MB": None,
        "compile_timeout": None,
        "run_timeout": None,
        "files": None,
        "fetch_files": None,
    }
    body = post(http, "/run_code", verl_payload("print(6 * 7)") | nulls).json()
    assert body["status"] == "Success" and body["run_result"]["stdout"] == "42\n", body


def test_run_code_files_and_fetch_files_never_follow_links(http: str) -> None:
    code = (
        "import os\nprint(open('in.txt').read())\nopen('out.txt', 'w').write('made')\n"
        "os.symlink('/etc/passwd', 'link')\nos.mkfifo('fifo')"
    )
    body = post(
        http, "/run_code",
        verl_payload(code) | {"files": {"in.txt": "aGVsbG8="}, "fetch_files": ["out.txt", "link", "fifo", "gone"]},
    ).json()  # fmt: skip
    assert body["status"] == "Success", body
    assert body["run_result"]["stdout"] == "hello\n"
    assert body["files"] == {"out.txt": "bWFkZQ=="}


def test_run_code_unsupported_language_names_the_supported_ones(http: str) -> None:
    body = post(http, "/run_code", verl_payload("print(1)", "julia")).json()
    assert body["status"] == "SandboxError" and "'julia'" in body["message"] and "nodejs" in body["message"]


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        ("{not json", 400, "JSON"),
        ({"language": "python"}, 422, "code"),
        ({"code": "print(1)", "language": "python", "files": {"../x": "aGk="}}, 422, "files"),
        ({"code": "print(1)", "language": "python", "files": {"x": "!!"}}, 422, "files.x"),
        ({"query": ["a", "b"], "prompts": ["a"], "labels": ["1", "2"]}, 422, "labels"),
        ({"query": ["a"], "prompts": ["a"]}, 422, "labels"),
    ],
)
def test_bad_input_is_refused_naming_the_field(http: str, body: object, status: int, names: str) -> None:
    path = "/get_reward" if isinstance(body, dict) and "query" in body else "/run_code"
    r = post(http, path, body)
    assert r.status_code == status and names in r.json()["detail"], r.text
    assert post(http, "/run_code", verl_payload("print(1)")).json()["status"] == "Success"  # still serving


def test_oversized_body_is_refused_by_size(http: str) -> None:
    r = post(http, "/run_code", verl_payload("#" * (65 << 20)))
    assert r.status_code == 413 and "max_message_mb" in r.json()["detail"]


def test_token_is_required_except_for_health(http: str) -> None:
    assert post(http, "/run_code", verl_payload("print(1)"), token=None).status_code == 401
    assert post(http, "/run_code", verl_payload("print(1)"), token="wrong").status_code == 401
    assert requests.get(http + "/health", timeout=10).status_code == 200


def test_get_reward_in_openrlhf_shape(http: str) -> None:
    prompt = "<|im_start|>user\nWhat is 1/2 + 1/3?<|im_end|>\n<|im_start|>assistant\n"
    worked = "<|im_start|>user\nExample: \\boxed{5/6}<|im_end|>\n<|im_start|>assistant\n"
    queries = [
        prompt + "1/2 + 1/3 = 5/6, so \\boxed{\\frac{5}{6}}<|im_end|>",
        prompt + "\\boxed{2/5}<|im_end|>",
        "something else entirely: " + worked,  # its prompt is not in it: never scored as a whole
    ]
    body = post(http, "/get_reward", {"query": queries, "prompts": [prompt, prompt, prompt + "x"],
                                       "labels": ["5/6", "5/6", "5/6"]}).json()  # fmt: skip
    assert body["rewards"] == [1.0, 0.0, 0.0] and body["scores"] == body["rewards"]
    assert body["extra_logs"]["accuracy"] == [1.0, 0.0, 0.0]
    assert body["extra_logs"]["unscorable"] == [0.0, 0.0, 1.0]
    for values in body["extra_logs"].values():
        assert all(isinstance(v, float) for v in values)
