"""The catalog over gRPC means the same as in-process: same values, statuses and details."""

from __future__ import annotations

from referee.client import RefereeClient
from rewards import MathReference, RewardSpec, Sample, Status, score

HALF = MathReference("1/2")
SAMPLES = [
    Sample(
        "right",
        "Half of one?",
        "<think>\nFirst, halve it.\n</think>\n<answer>\n1/2\n</answer>",
        "en",
        HALF,
        completion_tokens=300,
    ),
    Sample(
        "wrong",
        "Half of one?",
        "<think>首先 we halve it. 然后 we double it.</think><answer>2</answer>",
        "en",
        HALF,
        completion_tokens=900,
    ),
    Sample(
        "no-language",
        "",
        "<think>Step 1: guess.</think><answer>1/2</answer>",
        None,
        HALF,
        completion_tokens=20000,
    ),
    Sample("empty", "Half of one?", "", "fr", HALF),
]
SPECS = [
    RewardSpec("format", 0.5, {"mode": "strict"}),
    RewardSpec("tag_count", 0.5),
    RewardSpec("language_consistency", 1.0),
    RewardSpec("reasoning_steps", 0.2),
    RewardSpec("repetition", 0.1),
    RewardSpec("soft_overlong", 1.0, {"max_length": 20480, "cache_length": 4096}),
    RewardSpec("cosine", 1.0, {"max_length": 4096}),
    RewardSpec("length", 1.0),
]


async def test_served_catalog_matches_in_process(client: RefereeClient) -> None:
    local = await score(SAMPLES, SPECS)
    served = client.score(SAMPLES, SPECS)
    for mine, theirs in zip(local, served, strict=True):
        assert theirs.id == mine.id
        assert theirs.total == mine.total
        assert theirs.rewards == mine.rewards
    by_id = {r.id: r.rewards for r in served}
    assert by_id["right"]["format"].value == 1.0 and by_id["right"]["length"].value == 0.5
    assert by_id["wrong"]["language_consistency"].value == 6 / 10  # 6 English words, 4 Chinese characters
    assert by_id["no-language"]["language_consistency"].status is Status.INVALID_INPUT
    assert by_id["no-language"]["soft_overlong"].value == (16384 - 20000) / 4096
    assert by_id["empty"]["language_consistency"].value == 0.0 and by_id["empty"]["format"].value == 0.0
    assert by_id["empty"]["length"].status is Status.INVALID_INPUT  # no token count sent
