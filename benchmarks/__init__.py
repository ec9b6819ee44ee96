"""Benchmarks of qbwc-harness: round trip, suite, scale and connector load.

Run from the checkout: ``python -m benchmarks`` (full) or ``python -m benchmarks --quick``.
Each benchmark measures a floor or a reference figure in the same run, prints a table and
writes JSON. See ``benchmarks/README.md``.
"""
