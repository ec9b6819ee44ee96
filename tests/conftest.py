"""Shared test fixtures: where the reference material is, and the compiled qbXML schema.

The reference folder (Intuit's XSDs, the QBWC WSDL) is read from QBWC_HARNESS_REFERENCE,
by default ``shared/reference`` beside the repository; tests that need it skip with the
reason when it is absent, as on a user's machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

pytest_plugins = ["pytester"]

REPO_ROOT = Path(__file__).resolve().parents[1]


def reference_dir() -> Path:
    default = REPO_ROOT.parent / "shared" / "reference"
    return Path(os.environ.get("QBWC_HARNESS_REFERENCE", default))


@pytest.fixture(scope="session")
def reference() -> Path:
    path = reference_dir()
    if not path.is_dir():
        pytest.skip(f"reference folder {path} is absent (set QBWC_HARNESS_REFERENCE)")
    return path


@pytest.fixture(scope="session")
def qbxml_schema(reference: Path) -> etree.XMLSchema:
    """qbxmlops130.xsd compiled once per run (lxml takes well under a second)."""
    xsd = reference / "qbxml-xsd" / "qbxmlops130.xsd"
    if not xsd.is_file():
        pytest.skip(f"qbXML schema not found at {xsd} (set QBWC_HARNESS_REFERENCE)")
    return etree.XMLSchema(etree.parse(str(xsd)))
