"""Import every module that registers built-in rewards. One line per module."""

from rewards import format  # noqa: F401
