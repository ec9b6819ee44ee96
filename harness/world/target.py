"""What the world asks of the connector under test, whichever it is (a target): where its
SOAP endpoint is, the password its user has, how to reach it and restart it; and the Web
Connector user the harness logs in as."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

Transport = Literal["inprocess", "http"]
WsgiApp = Callable[..., Any]

#: The Web Connector user the harness logs in as; its password is only ever in memory.
HARNESS_USER = "harness"
HARNESS_PASSWORD = "harness-secret-1"  # a credential of the simulated world
SOAP_PATH = "/qbwc"


class ConnectorTarget(Protocol):
    """The connector under test, as the Web Connector sees it: where its SOAP endpoint is,
    the password its user has, and how to reach it."""

    url: str
    password: str

    def transport(self) -> Any: ...
    def restart(self) -> None: ...
    def close(self) -> None: ...


MakeConnector = Callable[..., WsgiApp]


class RestartUnsupported(Exception):
    """The connector under test cannot be restarted by the harness (it is not ours)."""
