"""Imported once by the forkserver so every worker forked from it starts warm.

The first math-verify parse loads the ANTLR grammar (hundreds of milliseconds); doing it here,
before the fork, means a worker replaced after a timeout is ready in milliseconds.
"""

from rewards.math.config import MathConfig
from rewards.math.extract import extract_answer
from rewards.math.grade import grade, prepare

_config = MathConfig(workers=1)
grade(prepare("$\\frac{1}{2}+x$", _config), prepare("\\boxed{x+0.5}", _config), _config)
extract_answer("<think>warm</think> \\boxed{1}", _config)
