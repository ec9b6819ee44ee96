"""Fixtures for the connector tests (helpers live in conn_support.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conn_support import FixedClock, Soap, TinyApp, make_settings, seeded_tickets

from connector import make_wsgi_app


@pytest.fixture
def tiny_app() -> TinyApp:
    return TinyApp()


@pytest.fixture
def soap_for() -> Iterator[Callable[..., Soap]]:
    def build(app: TinyApp, **overrides: Any) -> Soap:
        settings = make_settings(app, **overrides)
        return Soap(make_wsgi_app(settings, clock=FixedClock(), new_ticket=seeded_tickets()))

    yield build
