"""Einsum: parsing and cost (symbolic, shapes only) apart from execution."""
