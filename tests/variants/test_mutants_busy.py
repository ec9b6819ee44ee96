"""QuickBooks busy in the middle of a session (0x80040414 in receiveResponseXML, nothing
applied): the scenario catches a connector that gives the record up for good, and one that
takes the busy answer as done."""

from __future__ import annotations

from typing import Any

import pytest

from connector.sync.engine import SessionSync
from tests.variants.mutation import failure_text, run_with, sessions_with, with_sessions

SCENARIO = "qbd/qbd-busy-mid-session.yaml"


class BusyIsFailure(SessionSync):
    """Treats busy like a malformed request: the invoice shows Failed and is never resent
    unless a person asks (the reference connector's behavior before issue 18)."""

    def retry_later(self, item: dict[str, Any], message: str) -> None:
        self.fail_pending(item, message)


class BusyIsSynced(SessionSync):
    """Marks the record synced on a busy answer: the invoice never reaches QuickBooks."""

    def retry_later(self, item: dict[str, Any], message: str) -> None:
        self.mark_synced(item, "")


def test_the_reference_connector_sends_the_busy_request_again_once() -> None:
    result = run_with(None, SCENARIO)
    assert result.status == "passed", failure_text(result)


@pytest.mark.parametrize(
    ("variant", "shows"),
    [
        (BusyIsFailure, "app.invoices[1002].sync.status: expected 'synced', got 'failed'"),
        (BusyIsSynced, "qbd count of Invoice: expected 2, got 1"),
    ],
    ids=["gives-up", "marks-synced"],
)
def test_the_busy_scenario_catches_the_broken_connector(
    variant: type[SessionSync], shows: str
) -> None:
    result = run_with(with_sessions(sessions_with(variant)), SCENARIO)
    text = failure_text(result)
    assert result.status == "failed", f"{variant.__name__}: {result.status}\n{text}"
    assert shows in text, text
