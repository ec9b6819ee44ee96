"""The reference QBWC connector: a spyne SOAP service plus a sync engine.

``make_wsgi_app(ConnectorSettings(...))`` serves the QuickBooks Web Connector contract and
its WSDL; ``connector serve`` runs it on waitress.
"""

from connector.app_client import AppApiError, AppClient
from connector.clock import Clock, SystemClock
from connector.settings import ConnectorSettings, ConnectorUser, SettingsError, load_settings
from connector.soap import QBWC_NAMESPACE, make_wsgi_app

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
