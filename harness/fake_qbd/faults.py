"""QuickBooks-side errors a connector must survive but the fake company never meets by itself:
a record or list locked by another user, the closing date, insufficient permission.

A fault is aimed at a request type (``InvoiceAdd``) and fires on the ``nth`` request of that
type, ``times`` times in a row, answering that request with the fault's status instead of
processing it. Faults come from ``CompanySettings.status_faults`` (a scenario's
``given.qbd_settings``) or from ``Operator.fail_requests`` (a scenario step).

Codes are QuickBooks' (QBWC-FACTS.md, status codes; Intuit's status code table). Texts:
3260 is quoted by consolibyte/quickbooks-php's error handler (confirmed); 3180's form "There
was an error when saving a BuildAssembly transaction." appears in a public test capture
(medium); the others are unconfirmed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.fake_qbd.errors import QBStatusError


@dataclass(frozen=True)
class FaultKind:
    code: int
    #: The statusMessage; ``{object}`` is the request's object (``Invoice``).
    text: str


FAULT_KINDS: dict[str, FaultKind] = {
    "record_in_use": FaultKind(
        3170,
        "There was an error when modifying the {object}.  QuickBooks error message: "
        "The record is being edited by another user.",
    ),
    "closing_date": FaultKind(
        3171,
        "There was an error when saving the {object}.  QuickBooks error message: "
        "The transaction date is on or before the closing date of the company file.",
    ),
    "record_locked": FaultKind(
        3175,
        "There was an error when locking the {object}.  QuickBooks error message: "
        "The record is in use by another user.",
    ),
    "list_locked": FaultKind(
        3176,
        "There was an error when locking the {object} list.  QuickBooks error message: "
        "The list is in use by another user.",
    ),
    "save_failed": FaultKind(3180, "There was an error when saving the {object}."),
    "permission_denied": FaultKind(3260, "Insufficient permission level to perform this action."),
}


class FaultSpecError(ValueError):
    """A fault that cannot be used: unknown name, bad request type or count."""


class InjectedStatus(QBStatusError):
    def __init__(self, kind: FaultKind, request_object: str) -> None:
        self.code = kind.code
        super().__init__(kind.text.format(object=request_object))


@dataclass
class _Pending:
    fault: str
    request: str  # "InvoiceAdd"
    nth: int
    times: int
    seen: int = 0
    fired: int = 0


class StatusFaults:
    def __init__(self, specs: Iterable[Mapping[str, Any]] = ()) -> None:
        self._pending: list[_Pending] = []
        for index, spec in enumerate(specs):
            try:
                self.add(**spec)
            except TypeError as exc:
                raise FaultSpecError(f"status fault #{index + 1}: {exc}") from None

    def add(self, fault: str, request: str, nth: int = 1, times: int = 1) -> None:
        if fault not in FAULT_KINDS:
            raise FaultSpecError(
                f"unknown status fault {fault!r}; known: {', '.join(sorted(FAULT_KINDS))}"
            )
        if not request or request.endswith(("Rq", "Rs")):
            raise FaultSpecError(f"request must be a type such as InvoiceAdd, got {request!r}")
        if nth < 1 or times < 1:
            raise FaultSpecError(f"{fault}: nth and times must be at least 1")
        self._pending.append(_Pending(fault, request, nth, times))

    def take(self, request_name: str) -> InjectedStatus | None:
        """The status that answers this request instead of processing it, if a fault is due."""
        request = request_name.removesuffix("Rq")
        due = None
        for pending in self._pending:
            if pending.request != request:
                continue
            pending.seen += 1
            within = pending.nth <= pending.seen < pending.nth + pending.times
            if due is None and within:
                pending.fired += 1
                due = pending
        if due is None:
            return None
        return InjectedStatus(FAULT_KINDS[due.fault], _object_of(request))

    def unfired(self) -> list[str]:
        """Faults that never fired: a scenario whose fault never happened tests nothing."""
        return [f"{p.fault} on {p.request} #{p.nth}" for p in self._pending if not p.fired]


def _object_of(request: str) -> str:
    for suffix in ("Add", "Mod", "Query", "Del", "Void"):
        if request.endswith(suffix) and request != suffix:
            return request.removesuffix(suffix)
    return request
