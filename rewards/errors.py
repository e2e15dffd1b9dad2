"""Exceptions raised by the reward layer.

    RewardError
    └── InvalidRequest   the request itself is wrong (unknown reward, bad parameter):
                         the server answers INVALID_ARGUMENT with the message

Per-sample problems are never exceptions: they come back as a `RewardResult` with a
non-OK status so that one bad sample never fails its batch.
"""

__all__ = ["InvalidRequest", "RewardError"]


class RewardError(Exception):
    """Base class of the reward layer's exceptions."""


class InvalidRequest(RewardError, ValueError):
    """The request names something that does not exist or breaks a rule; the message says which field."""
