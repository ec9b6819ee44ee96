"""The sync history of a record, as ``app_history`` and ``qbd_history`` expect it (SYNC-01).

An app record's history is the one the app keeps (its ``sync.history``: every status the
connector set, and a person's "sync now"); each entry also shows the qbXML ``status_code``
and ``status_message`` when its error is written ``"<code>: <message>"`` (the shape the
reference connector writes). A QuickBooks record's history is the connector's own
record of its attempts on it (request, outcome, status code and message): only the
reference connector's store can be read, so for any other target the check proves nothing.
Both are compared as ``compare_side`` compares records, through ``app_history`` or
``qbd_history_reader`` as what is read from each record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from harness.runner.compare import MISSING

#: ``3100: The name "Acme" of the list element is already in use.``
_QBXML_ERROR = re.compile(r"^(?P<code>-?\d+): (?P<message>.*)$", re.DOTALL)
#: A QuickBooks record's identity, for the connector's attempts.
_QB_IDS = ("ListID", "TxnID")


class HistoryUnreadable(Exception):
    """A history the harness cannot read here; ``cause`` is the inconclusive cause
    (``outside``: the connector's store is not ours; ``adapter``: the app adapter does not
    read sync histories)."""

    def __init__(self, reason: str, cause: str) -> None:
        super().__init__(reason)
        self.cause = cause


def app_history(record: dict[str, Any]) -> Any:
    """An app record's sync history, each entry with the status code and message its
    error carries. MISSING for a record with no sync status at all (not a synced kind);
    HistoryUnreadable for one whose sync status comes without its history (an adapter
    that does not read it: that proves nothing either way)."""
    sync = record.get("sync")
    if not isinstance(sync, dict):
        return MISSING
    if "history" not in sync:
        raise HistoryUnreadable(
            "the app adapter gives records' sync status without its history", "adapter"
        )
    history = sync["history"]
    if not isinstance(history, list):
        return history
    return [_with_status(entry) for entry in history]


def _with_status(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    found = _QBXML_ERROR.match(str(entry.get("error") or ""))
    if found is None:
        return dict(entry)
    return {**entry, "status_code": int(found["code"]), "status_message": found["message"]}


def qbd_history_reader(
    attempts_on: Callable[[str, str], list[dict[str, Any]] | None],
) -> Callable[[str, dict[str, Any]], Any]:
    """A ``history_of`` for QuickBooks records: the connector's attempts on the record of
    that type (``Customer``) and ListID or TxnID (a ListID can equal a TxnID);
    HistoryUnreadable when the connector's store is not the harness's."""

    def history_of(qb_type: str, record: dict[str, Any]) -> Any:
        qb_id = next((str(record[f]) for f in _QB_IDS if f in record), None)
        if qb_id is None:
            return MISSING
        found = attempts_on(qb_type, qb_id)
        if found is None:
            raise HistoryUnreadable(
                "qbd_history reads the connector's own record of its attempts, which only the "
                "reference connector's store gives the harness",
                "outside",
            )
        return found

    return history_of
