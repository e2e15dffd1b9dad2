"""Import every module that registers built-in rewards. One line per module."""
# ruff: noqa: I001  (one import line per module, so parallel additions do not conflict)

from rewards import format  # noqa: F401
from rewards import language  # noqa: F401
from rewards import math  # noqa: F401
from rewards import length  # noqa: F401
from rewards import shaping  # noqa: F401
from rewards import code  # noqa: F401
