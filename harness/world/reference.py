"""The reference-connector target: ``connector/`` (or a variant of it) served in-process or
on loopback HTTP. The one module of the harness that imports the connector, lazily, so
that a harness run against another connector never loads it (tests/structure/test_layers.py).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from harness.clock import SimClock
from harness.fake_fieldservice import FieldServiceApp
from harness.serve import LoopbackServer, serve_on_loopback
from harness.webconnector import HttpTransport, WsgiTransport
from harness.world.target import (
    HARNESS_PASSWORD,
    HARNESS_USER,
    SOAP_PATH,
    MakeConnector,
    Transport,
)

#: The reference connector's entity of each QuickBooks object type it keeps attempts on
#: (every item type is its ``item``).
_ENTITIES = {
    "Customer": "customer",
    "Invoice": "invoice",
    "ReceivePayment": "payment",
    "CreditMemo": "credit_memo",
    "Deposit": "deposit",
}


class SeededTickets:
    """Ticket strings that look like the random ones a connector issues, from a seed, so the
    same scenario gives the same transcript. Survives a connector restart: tickets issued
    before it stay unique."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))


def reference_profile_defaults(name: str) -> Mapping[str, Any]:
    """The settings a reference-connector profile presets; ValueError (listing the known
    names) for an unknown one. The harness reads the connector's profiles only here."""
    from connector.profiles import profile_defaults

    return profile_defaults(name)


#: Settings the harness gives the reference connector itself: no claim may set them.
HARNESS_OWNED_SETTINGS = frozenset({"db_path", "users", "app_base_url", "app_transport"})


def reference_setting_problem(name: str, value: Any) -> str | None:
    """Why the reference connector would refuse the setting ``name: value`` (an unknown
    name, a wrong type, a value out of range), or None when it takes it."""
    from pydantic import ValidationError

    from connector import ConnectorSettings

    if name in HARNESS_OWNED_SETTINGS or name not in ConnectorSettings.model_fields:
        return f"unknown connector setting {name!r}"
    try:
        # The app's address is the harness's to give; any one makes the settings complete.
        ConnectorSettings.model_validate({"app_base_url": "http://localhost/", name: value})
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = first["ctx"]["error"] if first["type"] == "value_error" else first["msg"]
        return f"setting {name}: {reason} (got {value!r})"
    return None


def reference_profile_names() -> list[str]:
    """The names of the reference connector's profiles, sorted."""
    from connector.profiles import PROFILES

    return sorted(PROFILES)


@cache
def _harness_password_hash() -> str:
    # Hashing is deliberately slow (scrypt); do it once per process, not once per scenario.
    from connector.passwords import hash_password

    # A throwaway credential of the simulated world: a low scrypt cost keeps authenticate
    # cheap (it runs every session); the connector's own default stays N=2**14.
    return hash_password(HARNESS_PASSWORD, cost=2**10)


class ReferenceConnector:
    """The reference connector (or a variant of it) served in-process or on loopback HTTP,
    with its SQLite state in a file so that a restart keeps it.

    A restart replaces the connector instance behind a stable front door (the same URL, the
    same in-process transport): what was only in memory is gone, what was stored is not."""

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
        self._servers: list[LoopbackServer] = []
        app_link: dict[str, Any]
        if transport == "http":
            app_server = serve_on_loopback(app.wsgi)
            self._servers.append(app_server)
            app_link = {"app_base_url": app_server.url}
        else:
            app_link = {"app_transport": httpx.WSGITransport(app=app.wsgi)}
        config = dict(config)
        # A scenario may add users (a second computer logging in as someone else) or give
        # the harness user a company file; the harness user's password stays the harness's.
        users = [dict(u) for u in config.pop("users", [])]
        for user in users:
            if user.get("username") == HARNESS_USER:
                user.setdefault("password", _harness_password_hash())
        if not any(u.get("username") == HARNESS_USER for u in users):
            users.insert(0, {"username": HARNESS_USER, "password": _harness_password_hash()})
        self.settings = ConnectorSettings(
            db_path=str(workdir / "connector.sqlite3"),
            users=users,
            **app_link,
            **config,
        )
        self.password = HARNESS_PASSWORD
        self._tickets = SeededTickets()
        self._start()
        if transport == "http":
            server = serve_on_loopback(self._front, SOAP_PATH)
            self._servers.append(server)
            self.url = server.url
        else:
            self.url = f"http://localhost{SOAP_PATH}"

    def _front(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.wsgi(environ, start_response)

    def _start(self) -> None:
        self.wsgi = self._make(self.settings, clock=self._clock, new_ticket=self._tickets)

    def transport(self) -> Any:
        return HttpTransport() if self._transport_kind == "http" else WsgiTransport(self._front)

    def restart(self) -> None:
        """Stop the connector and start a new instance on the same database."""
        self._start()

    def attempts_on(self, qb_type: str, qb_id: str) -> list[dict[str, Any]]:
        """The connector's sync attempts on a QuickBooks record of type ``qb_type``
        (``Customer``, ``ItemService``, ...: SYNC-01), read from its database (the ticket
        key left out: it is no one's to compare)."""
        from connector.store import Store

        entity = "item" if qb_type.startswith("Item") else _ENTITIES.get(qb_type, qb_type)
        store = Store(self.settings.db_path)
        try:
            found = store.attempts_on_qb_record(entity, qb_id)
        finally:
            store.close()
        return [{k: v for k, v in asdict(a).items() if k != "ticket"} for a in found]

    def close(self) -> None:
        for server in self._servers:
            server.stop()
