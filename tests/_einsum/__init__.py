"""Tests of flopscope._einsum (a package so basenames such as test_cost.py stay unique)."""
