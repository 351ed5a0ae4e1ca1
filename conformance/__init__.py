"""The flopscope conformance suite: reference tables, independent expectations, runner.

* ``python -m conformance.generate`` rebuilds ``conformance/tables/*.jsonl``;
* ``python -m conformance [--backend B] [--cost-model M] [--report out.json]`` runs them;
* ``pytest conformance --backend B --cost-model M`` runs them as tests.

See docs/conformance.md.
"""
