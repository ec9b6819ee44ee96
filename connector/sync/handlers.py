"""The registry of work-item kinds: how each becomes a qbXML request and what its answer
means. Each domain module (customers, invoices, payments, ...) registers its kinds here, so
the engine knows nothing of any entity and each entity's rules live in one module."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from connector.qbxml.responses import ResponseStatus

if TYPE_CHECKING:
    from connector.sync.engine import SessionSync

Item = dict[str, Any]
State = dict[str, Any]


@dataclass(frozen=True)
class Request:
    """A built qbXML request and what its answer needs to know of how it was built
    (``notes``, e.g. that it is a probe and what it looks for): the engine keeps them on
    the pending work item, so a builder never changes the item it was given."""

    element: etree._Element
    notes: Mapping[str, Any] = field(default_factory=dict)

    def noting(self, **notes: Any) -> Request:
        return Request(self.element, {**self.notes, **notes})


def as_request(built: etree._Element | Request) -> Request:
    """A builder's answer as a Request (a builder with nothing to note returns the bare
    request element)."""
    return built if isinstance(built, Request) else Request(built)


Build = Callable[["SessionSync", Item, str], "etree._Element | Request"]
Apply = Callable[["SessionSync", State, Item, ResponseStatus], None]


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
