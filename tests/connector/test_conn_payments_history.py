"""What the connector records about payments that are held, unsynced or adopted: the
"clear error" of PAY-01 and the attempt history of SYNC-01, read from its store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connector.store import Attempt, Store
from harness.world import World


@pytest.fixture
def world() -> Iterator[World]:
    built = World.build()
    built.qbd.operator.add_payment_method("Zelle")
    built.app.create_customer("Acme")
    lines = [{"description": "Repair", "quantity": 1, "rate": "250"}]
    built.app.create_invoice("Acme", lines, number="1001")
    built.sync()
    yield built
    built.close()


def _attempts(world: World, entity: str, record_id: str) -> list[tuple[str, str]]:
    store = Store(world.connector.settings.db_path)  # type: ignore[attr-defined]
    try:
        # The company key is the connector's own derivation of the file path: read it back.
        rows = store._db.execute(
            "SELECT company FROM attempts WHERE record_id = ? LIMIT 1", (record_id,)
        ).fetchone()
        assert rows is not None, f"no attempt recorded for {record_id}"
        return [(a.outcome, a.status_message) for a in store.attempts(rows[0], entity, record_id)]
    finally:
        store.close()


def test_a_held_payment_has_the_reason_on_record_until_it_syncs(world: World) -> None:
    payment = world.qbd.operator.receive_payment(
        "Acme", "250.00", method="Zelle", applied_to=[{"invoice": "1001", "amount": "250.00"}]
    )
    world.clock.advance(300)
    world.sync()
    world.clock.advance(300)
    world.sync()
    world.app.create_payment_mode("Zelle")
    world.clock.advance(300)
    world.sync()
    history = _attempts(world, "payment", payment["TxnID"])
    reason = "payment mode 'Zelle' does not exist in the app"
    assert history == [("failed", reason), ("failed", reason), ("synced", "")]


def test_an_unsync_is_on_the_payments_record(world: World) -> None:
    created = world.app.record_payment("100.00", "Cash", invoice="1001", reference="APP-1")
    world.clock.advance(300)
    world.sync()
    world.app.unsync("payment", "APP-1")
    world.clock.advance(300)
    world.sync()
    outcomes = [outcome for outcome, _ in _attempts(world, "payment", created["id"])]
    assert outcomes == ["synced", "unsynced"]
    assert world.app.payment("APP-1")["sync_to_qbd"] is False


def test_a_record_history_is_kept_apart_from_another_kind_with_the_same_id() -> None:
    """A ListID can equal a TxnID (both count from 80000001 with the creation time): the
    history of a payment never shows a customer's attempts, by its ID or its mapping."""
    store = Store()
    same = "80000001-1767621600"
    store.put_mapping("co", "customer", "cus_1", same, "1")
    store.record_attempt(
        "co", Attempt("customer", "cus_1", "t1", "k", "CustomerQueryRq", "imported", 0, "")
    )
    store.record_attempt(
        "co", Attempt("payment", same, "t2", "k", "ReceivePaymentQueryRq", "synced", 0, "")
    )
    assert [a.entity for a in store.attempts_on_qb_record("payment", same)] == ["payment"]
    assert [a.entity for a in store.attempts_on_qb_record("customer", same)] == ["customer"]
