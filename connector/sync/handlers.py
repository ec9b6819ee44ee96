"""The registry of work-item kinds: how each becomes a qbXML request and what its answer
means. Each domain module (customers, invoices, payments, ...) registers its kinds here, so
the engine knows nothing of any entity and each entity's rules live in one module.

A work item (``WorkItem``) is one step of a session's plan: "add this customer", "read the
next page of payments". It is not a QuickBooks item (a product or service, ``items.py``).
What a handler may use of the session it runs in is ``SyncSession``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, Unpack

from lxml import etree

from connector.app_client import AppClient
from connector.clock import Clock
from connector.qbxml.responses import ResponseStatus
from connector.session_state import SessionState as State
from connector.settings import ConnectorSettings
from connector.store import Mapping as RecordMapping
from connector.store import Store
from connector.work_queue import Notes, WorkItem, WorkQueue

__all__ = [
    "HANDLERS",
    "Apply",
    "Build",
    "Handler",
    "Notes",
    "Request",
    "State",
    "SyncSession",
    "WorkItem",
    "as_request",
    "handler",
    "handler_for",
]


class SyncSession(Protocol):
    """What a handler may use of the session it runs in (``engine.SessionSync``): the
    injected services, and what every kind shares (mappings, in-doubt Adds, retries,
    re-reads, failures, the attempt history)."""

    settings: ConnectorSettings
    store: Store
    app: AppClient
    clock: Clock
    company: str
    ticket: str
    queue: WorkQueue

    def app_settings(self) -> dict[str, Any]: ...
    def entity_of(self, item: WorkItem) -> str: ...
    def known(self, entity: str, app_id: str) -> None: ...
    def mapped(self, item: WorkItem) -> RecordMapping: ...
    def mapping_of(self, entity: str, app_id: str) -> RecordMapping | None: ...
    def release_hold(self, entity: str, app_id: str) -> None: ...
    def hold_pulled(
        self,
        entity: str,
        qb_id: str,
        request: str,
        message: str,
        *,
        reference: str | None = None,
        status_code: int | None = None,
    ) -> bool: ...
    def release_pulled(self, entity: str, qb_id: str) -> None: ...
    def in_doubt(self, item: WorkItem) -> bool: ...
    def probe_since(self, item: WorkItem) -> str: ...
    def hold_while_in_flight(self, sent_at: str) -> None: ...
    def prepend(self, state: State, item: WorkItem) -> None: ...
    def apply_add(
        self, state: State, item: WorkItem, rs: ResponseStatus, *, id_tag: str
    ) -> None: ...
    def apply_probe(
        self, state: State, item: WorkItem, rs: ResponseStatus, found: list[etree._Element]
    ) -> None: ...
    def apply_change(self, state: State, item: WorkItem, rs: ResponseStatus) -> None: ...
    def fail(
        self, item: WorkItem, message: str, *, request: str, status_code: int | None = None
    ) -> None: ...
    def fail_queued(self, state: State, kind: str, message: str, *, request: str) -> None: ...
    def at(self) -> str: ...
    def attempt(
        self,
        entity: str,
        record_id: str,
        request: str,
        outcome: str,
        status_code: int | None,
        message: str,
    ) -> None: ...


@dataclass(frozen=True)
class Request:
    """A built qbXML request and what its answer needs to know of how it was built
    (``notes``, e.g. that it is a probe and what it looks for): the engine keeps them on
    the pending work item, so a builder never changes the item it was given."""

    element: etree._Element
    notes: Notes = field(default_factory=lambda: Notes())

    def noting(self, **notes: Unpack[Notes]) -> Request:
        return Request(self.element, {**self.notes, **notes})


def as_request(built: etree._Element | Request) -> Request:
    """A builder's answer as a Request (a builder with nothing to note returns the bare
    request element)."""
    return built if isinstance(built, Request) else Request(built)


Build = Callable[[SyncSession, WorkItem, str], "etree._Element | Request"]
Apply = Callable[[SyncSession, State, WorkItem, ResponseStatus], None]


@dataclass(frozen=True)
class Handler:
    kind: str
    build: Build
    apply: Apply
    #: The app collection whose record the item syncs (its status is set), if any.
    collection: str | None = None
    #: The mapping entity (customer, invoice, payment, item) of that record.
    entity: str | None = None
    #: The Add request whose outcome is in doubt when its answer is lost (guide p.53).
    add_request: str | None = None


HANDLERS: dict[str, Handler] = {}


def handler(
    kind: str,
    *,
    apply: Apply,
    collection: str | None = None,
    entity: str | None = None,
    add_request: str | None = None,
) -> Callable[[Build], Build]:
    """Register ``kind``: the decorated function builds its request, ``apply`` reads the
    answer."""

    def register(build: Build) -> Build:
        if kind in HANDLERS:
            raise ValueError(f"work item kind {kind!r} is registered twice")
        HANDLERS[kind] = Handler(kind, build, apply, collection, entity, add_request)
        return build

    return register


def handler_for(kind: str) -> Handler | None:
    return HANDLERS.get(kind)
