"""``app_history`` and ``qbd_history``: a record's sync history, attempt by attempt (SYNC-01)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.runner.compare import MISSING, compare_side
from harness.runner.history import HistoryUnreadable, app_history, qbd_history_reader
from harness.runner.judge import Inconclusive, StepFailed, check_expectation
from harness.scenario.model import Expectation
from harness.world import ExternalConnector, World, WorldOptions

REFUSED = '3100: The name "Acme" of the list element is already in use.'
SNAPSHOT = {
    "customers": [
        {
            "name": "Acme",
            "sync": {
                "history": [
                    {"status": "failed", "error": REFUSED, "by": "connector"},
                    {"status": "failed", "error": "the app refused the write", "by": "connector"},
                    {"status": "synced", "error": None, "by": "connector"},
                ]
            },
        },
        {"name": "Beta"},
    ]
}


def _app_history(collection: str, record: dict[str, Any]) -> Any:
    return app_history(record)


def test_an_app_entry_shows_the_qbxml_status_its_error_carries():
    refused, other, synced = app_history(SNAPSHOT["customers"][0])
    assert refused["status_code"] == 3100
    assert refused["status_message"] == 'The name "Acme" of the list element is already in use.'
    assert "status_code" not in other and "status_code" not in synced
    assert app_history(SNAPSHOT["customers"][1]) is MISSING  # no sync status at all


def test_every_attempt_is_compared_in_order_with_matchers():
    wanted = [
        {"status": "failed", "status_code": 3100, "status_message": {"contains": "in use"}},
        {"status": "failed"},
        {"status": "synced"},
    ]
    expected = {"customers": {"Acme": wanted}}
    assert compare_side("app_history", expected, SNAPSHOT, _app_history) == []
    [short] = compare_side(
        "app_history", {"customers": {"Acme": wanted[:2]}}, SNAPSHOT, _app_history
    )
    assert short.where == "app_history.customers[Acme]"  # an attempt left out is a difference
    wrong = [{**wanted[0], "status_code": 3200}, *wanted[1:]]
    [code] = compare_side("app_history", {"customers": {"Acme": wrong}}, SNAPSHOT, _app_history)
    assert (code.where, code.expected, code.actual) == (
        "app_history.customers[Acme][0].status_code",
        3200,
        3100,
    )
    [none] = compare_side("app_history", {"customers": {"Beta": []}}, SNAPSHOT, _app_history)
    assert none.actual is MISSING  # a record with no sync status at all


def test_an_adapter_that_reads_no_history_is_unreadable_not_a_difference():
    record = {"name": "Acme", "sync": {"status": "failed", "error": REFUSED}}
    with pytest.raises(HistoryUnreadable) as caught:
        app_history(record)
    assert caught.value.cause == "adapter"


def test_a_quickbooks_record_is_read_by_its_type_and_list_or_txn_id():
    asked: list[tuple[str, str]] = []

    def attempts_on(qb_type: str, qb_id: str) -> list[dict[str, object]]:
        asked.append((qb_type, qb_id))
        return [{"outcome": "synced", "status_code": 0}]

    snapshot = {
        "Customer": [{"ListID": "80000001-1", "Name": "Acme"}],
        "ReceivePayment": [{"TxnID": "80000001-1", "RefNumber": "Z-1"}],
    }
    expected = {
        "Customer": {"Acme": [{"outcome": "synced", "status_code": 0}]},
        "ReceivePayment": {"Z-1": [{"outcome": "synced", "status_code": 0}]},
    }
    assert compare_side("qbd_history", expected, snapshot, qbd_history_reader(attempts_on)) == []
    assert asked == [("Customer", "80000001-1"), ("ReceivePayment", "80000001-1")]
    with pytest.raises(HistoryUnreadable):
        compare_side("qbd_history", expected, snapshot, qbd_history_reader(lambda *_: None))


@pytest.fixture
def vendor_world():
    """A world whose connector is a vendor's (never reached: only the expectations run)."""
    options = WorldOptions(external=ExternalConnector("https://vendor.invalid/qbwc", "secret"))
    world = World.build(options=options)
    world.qbd.operator.add_customer(name="Acme")
    yield world
    world.close()


def test_qbd_history_of_another_connector_is_inconclusive_with_its_reason(vendor_world):
    expect = Expectation.model_validate(
        {"qbd_history": {"Customer": {"Acme": [{"outcome": "synced"}]}}}
    )
    with pytest.raises(Inconclusive) as caught:
        check_expectation(vendor_world, expect, 12)
    assert caught.value.cause == "outside"
    assert str(caught.value).startswith("line 12: qbd_history reads the connector's own record")


def test_a_difference_elsewhere_still_fails_beside_an_unreadable_history(vendor_world):
    expect = Expectation.model_validate(
        {
            "qbd": {"Customer": {"Acme": {"Name": "Beta"}}},
            "qbd_history": {"Customer": {"Acme": [{"outcome": "synced"}]}},
        }
    )
    with pytest.raises(StepFailed) as caught:
        check_expectation(vendor_world, expect, 12)
    assert [m.where for m in caught.value.failure.mismatches] == ["qbd.Customer[Acme].Name"]


def test_app_history_an_adapter_does_not_read_is_inconclusive(monkeypatch):
    world = World.build()
    try:
        world.app.create_customer(name="Acme")
        full = world.app.snapshot

        def without_history():
            snapshot = full()
            for customer in snapshot["customers"]:
                customer["sync"].pop("history")
            return snapshot

        monkeypatch.setattr(world.app, "snapshot", without_history)
        expect = Expectation.model_validate({"app_history": {"customers": {"Acme": []}}})
        with pytest.raises(Inconclusive) as caught:
            check_expectation(world, expect, 7)
        assert caught.value.cause == "adapter"
        assert "sync status without its history" in str(caught.value)
    finally:
        world.close()
