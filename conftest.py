"""The repository's own test runs are parallel by default: ``pytest`` alone uses every core
(pytest-xdist, from the test extra) unless ``-n`` is given (``-n 0``: one process). Set
here rather than as ``-n auto`` in addopts, so that without pytest-xdist the tests still
run, in one process, and the header says so, instead of stopping at "unrecognized
arguments: -n"."""

from __future__ import annotations

import importlib.util

import pytest

_HAVE_XDIST = importlib.util.find_spec("xdist") is not None


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook turns -n into workers
def pytest_cmdline_main(config: pytest.Config) -> None:
    option = config.option
    if getattr(option, "numprocesses", "absent") is None and not hasattr(config, "workerinput"):
        option.numprocesses = "auto"
        if option.dist == "no":  # a few tests take minutes: idle workers take queued ones
            option.dist = "worksteal"


def pytest_report_header(config: pytest.Config) -> str | None:
    if not _HAVE_XDIST:
        return (
            "pytest-xdist is not installed: one process (pip install '.[test]' runs on every core)"
        )
    return None
