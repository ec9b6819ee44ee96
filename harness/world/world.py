"""A scenario's world: one simulated clock shared by the QuickBooks company, the field-service
app, the connector under test and the Web Connectors that drive it."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from harness import qbd_bulk
from harness.adapter import AdapterFactory, AppAdapter, make_adapter
from harness.clock import SimClock
from harness.fake_qbd import CompanySettings, QBDCompany
from harness.fieldservice_adapter import FieldServiceAdapter
from harness.qwc_writer import render_qwc
from harness.scenario.model import WebConnectorSpec
from harness.webconnector import (
    Faults,
    QbwcSoapClient,
    QwcError,
    QwcFile,
    Scheduler,
    WebConnector,
    last_ticket,
    response_to_replay,
    run_holding,
    run_interleaved,
    single_call,
)
from harness.webconnector.session import answer_into
from harness.webconnector.transcript import Outcome, QbxmlExchange, Transcript
from harness.world.external import ExternalConnector
from harness.world.reference import ReferenceConnector
from harness.world.target import HARNESS_USER, ConnectorTarget, MakeConnector, Transport

#: The application name of a ``qbxml_request`` step's transcript (no .qwc file is involved).
DIRECT_REQUEST = "qbXML request (direct)"

#: The .qwc file the harness adds to every Web Connector unless a scenario changes it.
BASE_QWC: dict[str, Any] = {
    "AppName": "qbwc-harness",
    "AppID": "",
    "AppDescription": "Connector under test",
    "UserName": HARNESS_USER,
    "OwnerID": "{9C9E0F4B-0E8B-4E2A-9F3A-1B2C3D4E5F60}",
    "FileID": "{1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D}",
    "QBType": "QBFS",
    "RunEveryNMinutes": 5,
}


@dataclass
class WorldOptions:
    transport: Transport = "inprocess"
    #: Builds the connector's WSGI app from its settings; tests pass broken variants here.
    make_connector: MakeConnector | None = None
    #: A connector that is not ours (certify); when set, make_connector/transport are unused.
    external: ExternalConnector | None = None
    #: Builds the app side of each world (an ``AppAdapter`` class: ``certify --adapter``);
    #: the fake field-service app when unset. The reference connector needs an app that
    #: serves the JSON API as ``.wsgi`` (the fake does).
    app_adapter: AdapterFactory | None = None


@dataclass
class Station:
    """One Web Connector installation: its client, its scheduler, or why QBWC refused the
    .qwc file (then every run is that refusal)."""

    name: str
    web_connector: WebConnector | None
    scheduler: Scheduler | None
    refusal: QwcError | None = None


@dataclass
class World:
    clock: SimClock
    qbd: QBDCompany
    app: AppAdapter
    connector: ConnectorTarget
    stations: dict[str, Station] = field(default_factory=dict)
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
        web_connectors: Mapping[str, WebConnectorSpec] | None = None,
    ) -> World:
        options = options or WorldOptions()
        clock = SimClock()
        qbd = QBDCompany(
            settings=CompanySettings(**(qbd_settings or {})),
            clock=clock,
            bulk_data=qbd_bulk.quickbooks_company,
        )
        app: AppAdapter = (
            make_adapter(options.app_adapter, clock)
            if options.app_adapter is not None
            else FieldServiceAdapter(clock=clock)
        )
        for name, value in (app_settings or {}).items():
            app.set_setting(name, value)
        tmp = tempfile.TemporaryDirectory(prefix="qbwc-harness-")
        connector: ConnectorTarget
        if options.external is not None:
            connector = options.external
        else:
            if not hasattr(app, "wsgi"):
                tmp.cleanup()
                raise ValueError(
                    f"the reference connector syncs with an app served as .wsgi; "
                    f"{type(app).__name__} has none (give the connector's URL with --qwc)"
                )
            connector = ReferenceConnector(
                app,  # type: ignore[arg-type]  # the fake app, or an adapter that serves one
                clock,
                connector_config or {},
                Path(tmp.name),
                options.transport,
                options.make_connector,
            )
        world = cls(clock, qbd, app, connector, _tmp=tmp)
        world.faults.restart_connector = connector.restart
        for name, spec in (web_connectors or {"default": WebConnectorSpec()}).items():
            world.add_web_connector(name, spec)
        return world

    def add_web_connector(self, name: str, spec: WebConnectorSpec) -> Station:
        """Install a Web Connector and add the connector's .qwc file to it, as a user does."""
        fields = {
            **BASE_QWC,
            **getattr(self.connector, "qwc_fields", {}),
            "AppURL": self.connector.url,
            "AppSupport": self.connector.url,
        }
        fields.update(spec.qwc)
        try:
            qwc = QwcFile.load(render_qwc(fields))
        except (QwcError, ValueError) as exc:
            refusal = exc if isinstance(exc, QwcError) else QwcError("QBWC1039", str(exc))
            self.stations[name] = Station(name, None, None, refusal)
            return self.stations[name]
        web_connector = WebConnector(
            qwc=qwc,
            password=spec.password if spec.password is not None else self.connector.password,
            quickbooks=self.qbd,
            transport=self.connector.transport(),
            clock=self.clock,
            faults=self.faults,
            url=self.connector.url,
            client_version=spec.client_version,
            opens_named_file=isinstance(self.connector, ExternalConnector),
        )
        scheduler = Scheduler(self.clock)
        scheduler.add(web_connector, auto_run=spec.auto_run)
        self.stations[name] = Station(name, web_connector, scheduler)
        return self.stations[name]

    # -- what a person does with the Web Connector ----------------------------------------
    def sync(self, name: str = "default", password: str | None = None) -> Transcript:
        """One "Update Selected" run (a different password: the user typed it wrong)."""
        station = self.stations[name]
        if station.web_connector is None:
            return self._record(self._refused(station))
        if password is None:
            assert station.scheduler is not None
            return self._record(station.scheduler.run_now(station.web_connector.qwc.app_name))
        once = WebConnector(
            qwc=station.web_connector.qwc,
            password=password,
            quickbooks=self.qbd,
            transport=self.connector.transport(),
            clock=self.clock,
            faults=self.faults,
            url=self.connector.url,
            opens_named_file=station.web_connector.opens_named_file,
        )
        return self._record(once.run_session())

    def concurrent_sync(
        self, names: list[str], order: list[int], first_holds: str | None = None
    ) -> bool:
        """Several computers' Web Connectors running at once, interleaved call by call, or
        (``first_holds``, a request type) the first holding such a request it was handed
        while the others sync. False when the first was never handed one (a first whose
        .qwc QBWC refuses never is): the race asked for did not happen."""
        clients = []
        for name in names:
            station = self.stations[name]
            if station.web_connector is None:
                self._record(self._refused(station))
            else:
                clients.append(station.web_connector)
        if first_holds is None:
            transcripts, handed = run_interleaved(clients, order), True
        elif self.stations[names[0]].web_connector is None:
            transcripts, handed = run_interleaved(clients), False
        else:
            transcripts, handed = run_holding(clients, first_holds)
        for transcript in transcripts:
            self._record(transcript)
        return handed

    def soap_call(
        self,
        method: str,
        ticket: str | None = None,
        arguments: Mapping[str, Any] | None = None,
        name: str = "default",
    ) -> Transcript:
        """One web-method call outside any session (``ticket: last``: the latest session's),
        made by the Web Connector of ``name`` and recorded as a transcript of its own."""
        station = self.stations[name]
        if station.web_connector is None:
            return self._record(self._refused(station))
        if ticket == "last":
            ticket = last_ticket(self.transcripts)
        client = QbwcSoapClient(self.connector.url, self.connector.transport())
        qwc = station.web_connector.qwc
        call = single_call(
            client, qwc, self.connector.password, self.clock.now(), method, ticket, arguments
        )
        return self._record(call)

    def replay_response(self, request: str, name: str = "default") -> Transcript:
        """Send again the last receiveResponseXML that carried the response to ``request``,
        with its ticket and arguments: an HTTP retry of a POST whose answer was lost."""
        ticket, arguments = response_to_replay(self.transcripts, request)
        return self.soap_call("receiveResponseXML", ticket, arguments, name)

    def qbxml_request(self, request: str) -> Transcript:
        """A qbXML message set handed straight to QuickBooks, as an SDK application would
        (no Web Connector, no connector). Recorded as a transcript of its own with that one
        exchange; a request QuickBooks fails as a whole ends it in an error."""
        now = self.clock.now().isoformat()
        transcript = Transcript(DIRECT_REQUEST, "", now, now)
        exchange = QbxmlExchange(1, now, request, "")
        transcript.events.append(exchange)
        answer_into(exchange, lambda: self.qbd.process(request))
        transcript.outcome = (
            Outcome("error", f"{exchange.hresult}: {exchange.message}")
            if exchange.hresult
            else Outcome("completed")
        )
        return self._record(transcript)

    def schedule(self, seconds: float) -> None:
        """Let time pass with auto-run on: every run that falls due, on every computer."""
        target = self.clock.now() + timedelta(seconds=seconds)
        while True:
            due: list[tuple[datetime, int, Station]] = []
            for index, station in enumerate(self.stations.values()):
                if station.scheduler and station.web_connector:
                    when = station.scheduler.next_run(station.web_connector.qwc.app_name)
                    if when is not None and when <= target:
                        due.append((when, index, station))
            if not due:
                break
            when, _, station = min(due, key=lambda entry: (entry[0], entry[1]))
            assert station.scheduler is not None
            seconds_until = max((when - self.clock.now()).total_seconds(), 0)
            for run in station.scheduler.advance(seconds_until):
                self._record(run.transcript)
        if target > self.clock.now():
            self.clock.advance((target - self.clock.now()).total_seconds())

    def connector_attempts(self, qb_type: str, qb_id: str) -> list[dict[str, Any]] | None:
        """The connector's own history of a QuickBooks record (its type, and ``ListID`` or
        ``TxnID``: a ListID can equal a TxnID), or None
        when the connector under test is not the reference one (its store is not ours to
        read)."""
        if not isinstance(self.connector, ReferenceConnector):
            return None
        return self.connector.attempts_on(qb_type, qb_id)

    def _record(self, transcript: Transcript) -> Transcript:
        self.transcripts.append(transcript)
        return transcript

    def _refused(self, station: Station) -> Transcript:
        """QBWC would not add the .qwc file: no session at all, only the error it shows."""
        assert station.refusal is not None
        now = self.clock.now().isoformat()
        outcome = Outcome("error", station.refusal.message, station.refusal.code)
        return Transcript(station.name, "", now, now, outcome)

    def close(self) -> None:
        self.connector.close()
        if self._tmp is not None:
            self._tmp.cleanup()
