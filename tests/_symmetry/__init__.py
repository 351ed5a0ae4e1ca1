"""Tests of flopscope._symmetry (a package so basenames stay unique)."""
