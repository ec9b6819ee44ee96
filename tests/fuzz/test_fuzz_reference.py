"""A bounded fuzz budget against the reference connector, on every CI run: no invariant
may fail (a longer run: `qbwc-harness fuzz --examples 2000`, docs/fuzzing.md)."""

from __future__ import annotations

import pytest

from harness.fuzz import FuzzConfig, fuzz


@pytest.mark.slow
def test_a_bounded_fuzz_of_the_reference_connector_finds_no_violation(tmp_path):
    report = fuzz(FuzzConfig(examples=25, steps=15, out=tmp_path))
    assert report.invariant is None, report.written and report.written.path.read_text()
    assert report.examples >= 25
    assert report.quiet_checks > 0  # the invariants were judged in full, not only skipped
    assert list(tmp_path.iterdir()) == []
