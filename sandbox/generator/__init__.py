"""Seeded generator of the sandbox platforms' data, file drops and ground truth.

Public API: :func:`generate` (and :data:`AS_OF`, the fixed "present").
"""

from .core import generate
from .util import AS_OF

__all__ = ["AS_OF", "generate"]
