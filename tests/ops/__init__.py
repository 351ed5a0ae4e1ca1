"""Tests of the op table. A package so that ``tests/ops/test_<area>.py`` and
``tests/numpy/test_<area>.py`` can share a basename (pytest's default import mode)."""
