"""Symmetry groups of tensor axes and orbit counting (private; not exported yet)."""

from flopscope._symmetry.group import SymmetryGroup, as_group

__all__ = ["SymmetryGroup", "as_group"]
