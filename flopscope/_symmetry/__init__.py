"""Symmetry of tensor axes: groups and orbit counting (``group``), the registry of tagged
arrays (``registry``) and the public helpers (``api``). The public names are exported from
``flopscope``: ``SymmetryGroup``, ``as_symmetric``, ``is_symmetric``, ``symmetrize``."""

from flopscope._symmetry.group import SymmetryGroup, as_group

__all__ = ["SymmetryGroup", "as_group"]
