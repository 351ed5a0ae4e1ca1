"""Independent sources of the conformance tables' expected FLOPs.

Nothing here imports :mod:`flopscope.costs` (a test asserts it): the brute-force
:mod:`~conformance.reference.counter` evaluates naive loops with a counting scalar, and
:mod:`~conformance.reference.rules` holds the documented rules for ops it cannot enumerate.
"""
