"""The reference QBWC connector: a spyne SOAP service plus a sync engine.

``make_wsgi_app(ConnectorSettings(...))`` serves the QuickBooks Web Connector contract and
its WSDL; ``connector serve`` runs it on waitress.

spyne is imported only when ``make_wsgi_app`` is first used, so that reading the
connector's settings or profiles (what the harness and the CLI do) does not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connector.app_client import AppApiError, AppClient
from connector.clock import Clock, SystemClock
from connector.settings import ConnectorSettings, ConnectorUser, SettingsError, load_settings
from qbwc_wire import QBWC_NAMESPACE

if TYPE_CHECKING:
    from connector.soap import make_wsgi_app

__all__ = [
    "QBWC_NAMESPACE",
    "AppApiError",
    "AppClient",
    "Clock",
    "ConnectorSettings",
    "ConnectorUser",
    "SettingsError",
    "SystemClock",
    "load_settings",
    "make_wsgi_app",
]


def __getattr__(name: str) -> Any:
    if name == "make_wsgi_app":
        from connector.soap import make_wsgi_app

        return make_wsgi_app
    raise AttributeError(f"module 'connector' has no attribute {name!r}")
