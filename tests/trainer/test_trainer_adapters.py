"""The distillation filter, the TRL and verl adapters and the CLI commands, against real servers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fake_referee import fake_referee
from typer.testing import CliRunner

from referee.client import ClientSettings, RefereeUnavailable
from trainer.filter import filter_jsonl
from trainer.trl import RefereeReward
from trainer.verl import compute_score

RIGHT = "<think>Add the units, carry the one, then add the tens.</think><answer>132</answer>"
ROWS = [
    {"prompt": "47+85=", "completion": RIGHT, "math": {"gold": "132"}},
    {"prompt": "47+85=", "completion": RIGHT.replace("132", "122"), "gold": "132"},
    {"prompt": "47+85=", "completion": "Add them up: \\boxed{132}", "gold": "132"},
    {
        "prompt": "47+85=",
        "completion": "<think>先把个位相加，再把十位相加，最后得到结果。</think><answer>132</answer>",
        "gold": "132",
    },
]


def test_filter_keeps_only_right_well_formed_consistent_lines(referee_target: str) -> None:
    src = io.StringIO("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS) + "not json\n")
    dst = io.StringIO()
    client = ClientSettings(target=referee_target)
    report = filter_jsonl(src, dst, client, min_accuracy=1, min_language=0.95, batch_size=2)
    assert [json.loads(line) for line in dst.getvalue().splitlines()] == [ROWS[0]]
    assert (report.total, report.kept) == (5, 1)
    assert report.dropped == {
        "accuracy < 1": 1,
        "format < 1": 1,
        "language_consistency < 0.95": 1,
        "unreadable line": 1,
    }
    assert report.lines()[0] == "kept 1 of 5 lines (4 dropped)"


def test_trl_reward_function_plain_and_conversational(referee_target: str) -> None:
    reward = RefereeReward("accuracy", target=referee_target, timeout_s=30)
    assert reward.__name__ == "accuracy"
    plain = reward(
        prompts=["47+85="] * 2,
        completions=[RIGHT, "<answer>7</answer>"],
        solution=["132", "132"],
        trainer_state=None,
    )
    assert plain == [1.0, 0.0]
    chat = reward(
        prompts=[[{"role": "user", "content": "47+85="}]] * 2,
        completions=[
            [{"role": "assistant", "content": RIGHT}],
            [{"role": "assistant", "content": "no idea"}],
        ],
        completion_ids=[[1, 2, 3], [4]],
        solution=["132", "132"],
    )
    assert chat == [1.0, 0.0]
    # a row the reward does not apply to (no gold): None, TRL's "not mine to score"
    assert reward(prompts=["p"], completions=[RIGHT]) == [None]
    reward.close()


def test_trl_reward_gives_none_when_the_server_cannot_score() -> None:
    with fake_referee() as (target, _):
        reward = RefereeReward("accuracy", target=target)
        out = reward(
            prompts=["SANDBOX a", "SANDBOX a", "FAIL_RPC b", "c"],
            completions=["<answer>1</answer>"] * 4,
            solution=["1"] * 4,
        )
        reward.close()
    assert out == [None, None, None, 1.0]


def test_trl_reward_unreachable_server_names_the_address() -> None:
    reward = RefereeReward("accuracy", target="127.0.0.1:9", retries=0)
    with pytest.raises(RefereeUnavailable, match=r"127\.0\.0\.1:9"):
        reward(prompts=["p"], completions=["c"], solution=["1"])
    reward.close()


def test_trl_grpo_trainer_takes_a_step_with_our_reward(
    referee_target: str, tiny_sft_model: Path, tmp_path: Path
) -> None:
    """The installed TRL calls our function the way its GRPOTrainer really does."""
    datasets = pytest.importorskip("datasets")
    trl = pytest.importorskip("trl")
    from trainer.tokenizer import load_tokenizer

    reward = RefereeReward("accuracy", target=referee_target)
    data = datasets.Dataset.from_list([{"prompt": f"{a}+{a}=", "solution": str(2 * a)} for a in range(4)])
    args = trl.GRPOConfig(
        output_dir=str(tmp_path),
        per_device_train_batch_size=4,
        num_generations=4,
        max_completion_length=12,
        max_steps=1,
        learning_rate=1e-4,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        logging_steps=1,
        dataloader_num_workers=0,
    )
    trainer = trl.GRPOTrainer(
        model=str(tiny_sft_model),
        reward_funcs=[reward],
        args=args,
        train_dataset=data,
        processing_class=load_tokenizer(tiny_sft_model),
    )
    trainer.train()
    logged = [h for h in trainer.state.log_history if "rewards/accuracy/mean" in h]
    assert logged and 0.0 <= logged[0]["rewards/accuracy/mean"] <= 1.0
    reward.close()


def test_verl_compute_score(referee_target: str) -> None:
    out = compute_score(
        "addition",
        RIGHT,
        "132",
        {"question": "47+85="},
        target=referee_target,
        rewards=["accuracy", "format"],
    )
    assert out == {"score": 2.0, "unscorable": 0.0, "accuracy": 1.0, "format": 1.0}
    wrong = compute_score("addition", RIGHT, {"gold": "131"}, target=referee_target)
    assert wrong["score"] == 0.0 and wrong["accuracy"] == 0.0
    # No gold to check against (INVALID_INPUT) is "cannot score", never a wrong answer.
    code_only = {"language": "python", "test_code": "assert f() == 1", "entry_point": "f"}
    nothing = compute_score("addition", RIGHT, code_only, target=referee_target, rewards=["accuracy"])
    assert nothing["unscorable"] == 1.0, nothing


def test_cli_commands(tmp_path: Path) -> None:
    from referee.cli import app

    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text("loss: {loss_type: ppo}\n")
    result = runner.invoke(app, ["train", str(bad)])
    assert result.exit_code == 2 and "loss.loss_type" in result.output
    rows = tmp_path / "in.jsonl"
    rows.write_text(json.dumps(ROWS[0]) + "\n")
    result = runner.invoke(
        app, ["filter", str(rows), "-o", str(tmp_path / "out.jsonl"), "--server", "127.0.0.1:9"]
    )
    assert result.exit_code == 1 and "127.0.0.1:9" in result.output


def test_token_file_reaches_a_server_that_wants_one(tmp_path: Path) -> None:
    from referee.client import RefereeError
    from trainer.local_server import local_referee

    token = tmp_path / "token"
    token.write_text("s3cret\n")
    with local_referee(server={"token": "s3cret"}, math={"workers": 1}) as target:
        reward = RefereeReward("format", target=target, token_file=str(token))
        assert reward(prompts=["p"], completions=[RIGHT]) == [1.0]
        reward.close()
        anonymous = RefereeReward("format", target=target)
        with pytest.raises(RefereeError, match="UNAUTHENTICATED"):
            anonymous(prompts=["p"], completions=[RIGHT])
        anonymous.close()


def test_verl_marks_what_the_server_could_not_score() -> None:
    with fake_referee() as (target, _):
        out = compute_score("x", RIGHT, "132", {"question": "SANDBOX 47+85="}, target=target)
    assert out == {"score": 0.0, "unscorable": 1.0, "accuracy": 0.0}
