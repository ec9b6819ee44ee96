"""One route of the JSON HTTP API and what its handler is given: the vocabulary that the
route table (``_http``) and the OpenAPI description (``_openapi``) share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from ._backend import FieldServiceBackend

PREFIX = "/api/v1"
SYNC_ORIGIN_HEADER = "X-Sync-Origin"
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass
class Call:
    """One request as a handler sees it."""

    backend: FieldServiceBackend
    body: Any
    args: dict[str, str]
    path: dict[str, str]


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    name: str
    summary: str
    handler: Handler
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    many: bool = False
    status: int = 200
    query: tuple[str, ...] = ()
    body_optional: bool = False
