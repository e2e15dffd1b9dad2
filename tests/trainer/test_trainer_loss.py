"""Each loss variant against a small example computed by hand (see the comments for the arithmetic)."""

from __future__ import annotations

import math

import pytest
import torch

from trainer.advantages import group_advantages
from trainer.loss import grpo_loss, k3_kl

# Two completions, three token slots; the second completion is one token longer.
#   completion 0, A = +1: ratios 1.5, 0.9, (2.0 masked out)
#   completion 1, A = -1: ratios 0.5, 1.0, 1.2
# eps_low = 0.2, eps_high = 0.28 -> clip range [0.8, 1.28]
#   -min(r*A, clip(r)*A):  c0: -min(1.5, 1.28) = -1.28, -min(0.9, 0.9) = -0.9
#                          c1: -min(-0.5, -0.8) = 0.8, -min(-1, -1) = 1.0, -min(-1.2, -1.2) = 1.2
RATIOS = torch.tensor([[1.5, 0.9, 2.0], [0.5, 1.0, 1.2]])
MASK = torch.tensor([[1, 1, 0], [1, 1, 1]])
A = torch.tensor([1.0, -1.0])
OLD = torch.full((2, 3), -1.0)


def run(loss_type: str, **kw: float) -> tuple[torch.Tensor, torch.Tensor, object]:
    logp = (OLD + RATIOS.log()).requires_grad_()
    loss, stats = grpo_loss(logp, OLD, A, MASK, loss_type=loss_type, eps_low=0.2, eps_high=0.28, **kw)
    loss.backward()
    return loss, logp.grad, stats


@pytest.mark.parametrize(
    "loss_type,expected",
    [
        ("grpo", ((-1.28 - 0.9) / 2 + (0.8 + 1.0 + 1.2) / 3) / 2),  # mean per completion, then mean: -0.045
        ("dapo", (-1.28 - 0.9 + 0.8 + 1.0 + 1.2) / 5),  # every token alike: 0.164
        ("dr_grpo", (-1.28 - 0.9 + 0.8 + 1.0 + 1.2) / (2 * 3)),  # constant N * T_max: 0.13667
    ],
)
def test_aggregations_match_hand_computation(loss_type: str, expected: float) -> None:
    loss, _, stats = run(loss_type)
    assert loss.item() == pytest.approx(expected, abs=1e-6)
    assert stats.clipfrac == pytest.approx(2 / 5)  # c0 t0 above 1.28 with A>0, c1 t0 below 0.8 with A<0
    assert stats.kl == 0.0


def test_gradient_is_zero_where_clipped_or_masked() -> None:
    _, grad, _ = run("dapo")
    # d(-r*A)/dlogp = -r*A, divided by the 5 tokens; clipped and masked tokens get nothing.
    expected = torch.tensor([[0.0, -0.9 / 5, 0.0], [0.0, 1.0 / 5, 1.2 / 5]])
    torch.testing.assert_close(grad, expected)


def test_k3_kl_by_hand() -> None:
    logp, ref = torch.tensor([math.log(0.5)]), torch.tensor([math.log(0.25)])
    # log r = log(0.25 / 0.5); r - log r - 1 = 0.5 + log 2 - 1
    assert k3_kl(logp, ref).item() == pytest.approx(0.5 + math.log(2) - 1)
    assert k3_kl(logp, logp).item() == 0.0
    assert (k3_kl(torch.randn(100), torch.randn(100)) >= 0).all()


def test_kl_penalty_is_added_per_token_before_aggregation() -> None:
    logp = (OLD + RATIOS.log()).detach()
    ref = logp + math.log(0.5)  # every token: k3 = 0.5 + log 2 - 1 = 0.19315
    k3 = 0.5 + math.log(2) - 1
    base, _ = grpo_loss(logp, OLD, A, MASK, loss_type="dapo", eps_low=0.2, eps_high=0.28)
    loss, stats = grpo_loss(
        logp, OLD, A, MASK, loss_type="dapo", eps_low=0.2, eps_high=0.28, ref_logp=ref, beta=0.1
    )
    assert loss.item() == pytest.approx(base.item() + 0.1 * k3, abs=1e-6)
    assert stats.kl == pytest.approx(k3, abs=1e-6)


def test_first_pass_has_ratio_one_and_no_clipping() -> None:
    logp = torch.randn(4, 5)
    _, stats = grpo_loss(logp, logp, torch.tensor([1.0, -1.0, 0.5, 0.0]), torch.ones(4, 5))
    assert stats.ratio == pytest.approx(1.0)
    assert stats.clipfrac == 0.0


def test_unknown_loss_type_names_the_field() -> None:
    with pytest.raises(ValueError, match="loss_type"):
        grpo_loss(torch.zeros(1, 1), torch.zeros(1, 1), torch.zeros(1), torch.ones(1, 1), loss_type="ppo")  # type: ignore[arg-type]


def test_group_advantages_by_hand() -> None:
    rewards = torch.tensor([[1.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
    # group 0: mean 0.5, unbiased std sqrt(4 * 0.25 / 3) = 0.57735 -> +-0.866; group 1: all equal -> 0
    s = 0.5 / math.sqrt(1 / 3)
    torch.testing.assert_close(
        group_advantages(rewards, "group"),
        torch.tensor([[s, -s, -s, s], [0.0, 0.0, 0.0, 0.0]]),
        atol=1e-3,
        rtol=0,
    )
    torch.testing.assert_close(
        group_advantages(rewards, "none"), torch.tensor([[0.5, -0.5, -0.5, 0.5], [0.0] * 4])
    )
    # batch: divided by the std of all eight rewards (six 1s, two 0s): sqrt(8 * 3/16 / 7) = 0.46291
    b = 0.5 / math.sqrt(8 * 3 / 16 / 7)
    torch.testing.assert_close(
        group_advantages(rewards, "batch"), torch.tensor([[b, -b, -b, b], [0.0] * 4]), atol=1e-3, rtol=0
    )
