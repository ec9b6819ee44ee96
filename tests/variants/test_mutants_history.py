"""``app_history`` and ``qbd_history`` catch a connector that loses a record's sync history
(SYNC-01): one that shows QuickBooks' message without its status code, and one that keeps
no record of its attempts."""

from __future__ import annotations

import re
from typing import Any

import pytest

from connector import AppClient, make_wsgi_app
from connector.store import Attempt, Store
from tests.variants.mutation import failure_text, run_all_with, with_app_client

#: Runs under three profiles; every run must catch the variant.
SCENARIO = "sync/sync-01-history-both-sides.yaml"


class CodeLeftOut(AppClient):
    """Shows a refusal's message in the app without its qbXML status code."""

    def set_sync(self, collection: str, record_id: str, **fields: Any) -> Any:
        if fields.get("error"):
            fields["error"] = re.sub(r"^-?\d+: ", "", fields["error"])
        return super().set_sync(collection, record_id, **fields)


class AttemptsNotKept(Store):
    """Keeps no history of its attempts."""

    def record_attempt(self, company: str, attempt: Attempt) -> None:
        return None


def attempts_not_kept(settings: Any, **kwargs: Any) -> Any:
    return make_wsgi_app(settings, store=AttemptsNotKept(settings.db_path), **kwargs)


def test_the_reference_connector_passes_under_every_profile() -> None:
    results = run_all_with(None, SCENARIO)
    assert [(r.profile, r.status) for r in results] == [
        ("default", "passed"),
        ("taxdome", "passed"),
        ("zuper", "passed"),
    ], [failure_text(r) for r in results]


def test_the_app_history_shows_the_missing_status_code() -> None:
    wanted = "app_history.customers[Acme Plumbing][0].status_code: expected 3100, got <missing>"
    for result in run_all_with(with_app_client(CodeLeftOut), SCENARIO):
        assert result.status == "failed", result.id
        assert wanted in failure_text(result)


@pytest.mark.parametrize(
    ("scenario", "shown"),
    [
        (SCENARIO, "qbd_history.Customer[Acme Plumbing]: expected ["),
        # A QuickBooks-only record (held, no app record yet): its history is the connector's.
        (
            "sync/sync-01-held-qbd-payment-history.yaml",
            "qbd_history.ReceivePayment[Z-1]: expected [",
        ),
    ],
)
def test_the_qbd_history_shows_attempts_that_were_never_kept(scenario: str, shown: str) -> None:
    for result in run_all_with(attempts_not_kept, scenario):
        assert result.status == "failed", result.id
        assert shown in failure_text(result)
