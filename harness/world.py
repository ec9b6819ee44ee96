"""A scenario's world: one simulated clock shared by the QuickBooks company, the field-service
app, the connector under test and the Web Connectors that drive it."""

from __future__ import annotations

import random
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

import httpx

from harness.clock import SimClock
from harness.fake_fieldservice import FieldServiceApp
from harness.fake_qbd import CompanySettings, QBDCompany
from harness.serve import LoopbackServer, serve_on_loopback
from harness.webconnector import Faults, HttpTransport, QwcFile, WebConnector, WsgiTransport
from harness.webconnector.transcript import Transcript

Transport = Literal["inprocess", "http"]
WsgiApp = Callable[..., Any]

#: The Web Connector user the harness logs in as; its password is only ever in memory.
HARNESS_USER = "harness"
HARNESS_PASSWORD = "harness-secret-1"  # a credential of the simulated world
SOAP_PATH = "/qbwc"


class ConnectorTarget(Protocol):
    """The connector under test, as the Web Connector sees it: a .qwc file, a password, and a
    way to reach its SOAP endpoint."""

    qwc: QwcFile
    password: str

    def transport(self) -> Any: ...
    def restart(self) -> None: ...
    def close(self) -> None: ...


MakeConnector = Callable[..., WsgiApp]


@dataclass
class WorldOptions:
    transport: Transport = "inprocess"
    #: Builds the connector's WSGI app from its settings; tests pass broken variants here.
    make_connector: MakeConnector | None = None


def qwc_for(url: str, user: str = HARNESS_USER, app_name: str = "qbwc-harness") -> QwcFile:
    return QwcFile(
        app_name=app_name,
        app_id="",
        app_url=url,
        app_description="Connector under test",
        app_support=url,
        user_name=user,
        owner_id="{9C9E0F4B-0E8B-4E2A-9F3A-1B2C3D4E5F60}",
        file_id="{1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D}",
        run_every_seconds=300,
    )


class SeededTickets:
    """Ticket strings that look like the random ones a connector issues, from a seed, so the
    same scenario gives the same transcript. Survives a connector restart: tickets issued
    before it stay unique."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))


@cache
def _harness_password_hash() -> str:
    # Hashing is deliberately slow (scrypt); do it once per process, not once per scenario.
    from connector.passwords import hash_password

    return hash_password(HARNESS_PASSWORD)


class ReferenceConnector:
    """The reference connector (or a variant of it) served in-process or on loopback HTTP,
    with its SQLite state in a file so a restart keeps it."""

    def __init__(
        self,
        app: FieldServiceApp,
        clock: SimClock,
        config: dict[str, Any],
        workdir: Path,
        transport: Transport,
        make_connector: MakeConnector | None,
    ) -> None:
        from connector import ConnectorSettings, make_wsgi_app

        self._make = make_connector or make_wsgi_app
        self._clock = clock
        self._transport_kind = transport
        self._app_server: LoopbackServer | None = None
        self._server: LoopbackServer | None = None
        app_link: dict[str, Any]
        if transport == "http":
            self._app_server = serve_on_loopback(app.wsgi)
            app_link = {"app_base_url": self._app_server.url}
        else:
            app_link = {"app_transport": httpx.WSGITransport(app=app.wsgi)}
        self.settings = ConnectorSettings(
            db_path=str(workdir / "connector.sqlite3"),
            users=[{"username": HARNESS_USER, "password": _harness_password_hash()}],
            **app_link,
            **config,
        )
        self.password = HARNESS_PASSWORD
        self._tickets = SeededTickets()
        self._start()

    def _start(self) -> None:
        self.wsgi = self._make(self.settings, clock=self._clock, new_ticket=self._tickets)
        if self._transport_kind == "http":
            self._server = serve_on_loopback(self.wsgi, SOAP_PATH)
            self.qwc = qwc_for(self._server.url)
        else:
            self.qwc = qwc_for(f"http://localhost{SOAP_PATH}")

    def transport(self) -> Any:
        return HttpTransport() if self._transport_kind == "http" else WsgiTransport(self.wsgi)

    def restart(self) -> None:
        """Stop the connector and start a new instance on the same database."""
        if self._server:
            self._server.stop()
        self._start()

    def close(self) -> None:
        for server in (self._server, self._app_server):
            if server:
                server.stop()


@dataclass
class World:
    clock: SimClock
    qbd: QBDCompany
    app: FieldServiceApp
    connector: ConnectorTarget
    faults: Faults = field(default_factory=Faults)
    transcripts: list[Transcript] = field(default_factory=list)
    _tmp: Any = None

    @classmethod
    def build(
        cls,
        qbd_settings: dict[str, Any] | None = None,
        app_settings: dict[str, Any] | None = None,
        connector_config: dict[str, Any] | None = None,
        options: WorldOptions | None = None,
    ) -> World:
        options = options or WorldOptions()
        clock = SimClock()
        qbd = QBDCompany(settings=CompanySettings(**(qbd_settings or {})), clock=clock)
        app = FieldServiceApp(clock=clock)
        for name, value in (app_settings or {}).items():
            app.set_setting(name, value)
        tmp = tempfile.TemporaryDirectory(prefix="qbwc-harness-")
        connector = ReferenceConnector(
            app,
            clock,
            connector_config or {},
            Path(tmp.name),
            options.transport,
            options.make_connector,
        )
        return cls(clock, qbd, app, connector, _tmp=tmp)

    def sync(self) -> Transcript:
        """One "Update Selected" run of the Web Connector."""
        web_connector = WebConnector(
            qwc=self.connector.qwc,
            password=self.connector.password,
            quickbooks=self.qbd,
            transport=self.connector.transport(),
            clock=self.clock,
            faults=self.faults,
        )
        transcript = web_connector.run_session()
        self.transcripts.append(transcript)
        return transcript

    def close(self) -> None:
        self.connector.close()
        if self._tmp is not None:
            self._tmp.cleanup()
