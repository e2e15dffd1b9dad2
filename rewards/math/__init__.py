"""Math answer verification: extraction, grading and a worker pool with hard deadlines.

    config.py     `MathConfig` (every limit and switch), per-request `Overrides`, answer types
    extract.py    the final answer of a completion (`final_answer`) and of a prose gold (`gold_answer`)
    normalize.py  small named rewrites that fix math-verify's misreadings
    grade.py      equality: fast paths, math-verify, guards against its false positives
    workers.py    worker processes killed and replaced when a verification passes its deadline
    verifier.py   `MathVerifier`, the async face of the pool
    reward.py     the registered `accuracy` reward

Exceptions: `PoolClosed` (a RuntimeError) when a verifier is used before `start()` or after
`close()`. Everything else about a bad answer is a status (OK / TIMEOUT / INVALID_INPUT /
ERROR) with a detail, never an exception.
"""

from rewards.math.config import ANSWER_TYPES, AnswerType, MathConfig, Overrides
from rewards.math.extract import Extraction, extract_answer, final_answer
from rewards.math.reward import AccuracyParams, accuracy, default_verifier
from rewards.math.verifier import MathVerifier, Verdict
from rewards.math.workers import PoolClosed

__all__ = [
    "ANSWER_TYPES",
    "AccuracyParams",
    "AnswerType",
    "Extraction",
    "MathConfig",
    "MathVerifier",
    "Overrides",
    "PoolClosed",
    "Verdict",
    "accuracy",
    "default_verifier",
    "extract_answer",
    "final_answer",
]
