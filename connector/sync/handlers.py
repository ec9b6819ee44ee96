"""The registry of work-item kinds: how each becomes a qbXML request and what its answer
means. Each domain module (customers, invoices, payments, ...) registers its kinds here, so
the engine knows nothing of any entity and each entity's rules live in one module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

from connector.qbxml.responses import ResponseStatus

if TYPE_CHECKING:
    from connector.sync.engine import SessionSync

Item = dict[str, Any]
State = dict[str, Any]
Build = Callable[["SessionSync", Item, str], etree._Element]
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
