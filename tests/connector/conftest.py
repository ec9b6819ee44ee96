"""Fixtures for the connector tests (helpers live in conn_support.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conn_support import FixedClock, Soap, TinyApp, make_settings, reference_dir, seeded_tickets
from lxml import etree

from connector import make_wsgi_app


@pytest.fixture(scope="session")
def reference() -> Path:
    path = reference_dir()
    if not path.is_dir():
        pytest.skip(f"reference folder {path} is absent (set QBWC_HARNESS_REFERENCE)")
    return path


@pytest.fixture(scope="session")
def qbxml_schema(reference: Path) -> etree.XMLSchema:
    xsd = reference / "qbxml-xsd" / "qbxmlops130.xsd"
    if not xsd.is_file():
        pytest.skip(f"{xsd} is absent")
    return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture
def tiny_app() -> TinyApp:
    return TinyApp()


@pytest.fixture
def soap_for() -> Iterator[Callable[..., Soap]]:
    def build(app: TinyApp, **overrides: Any) -> Soap:
        settings = make_settings(app, **overrides)
        return Soap(make_wsgi_app(settings, clock=FixedClock(), new_ticket=seeded_tickets()))

    yield build
