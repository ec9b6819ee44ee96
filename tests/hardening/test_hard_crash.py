"""Crash durability: `connector serve` is killed with SIGKILL after each step of a payment
sync session, restarted on the same SQLite file, and the next sync completes with every
payment on both sides exactly once.

A real process, a real signal, real HTTP on loopback. The field-service app is served by
this test on loopback; QuickBooks is the fake company, driven by the simulated Web
Connector. Each round adds one payment in the app and one in QuickBooks. Round 0 runs
uninterrupted and gives the session's steps (serverVersion, clientVersion, authenticate,
each sendRequestXML and receiveResponseXML, closeConnection); round N kills the connector
right after step N answered. A kill after a sendRequestXML means QuickBooks applies the
request and its receiveResponseXML never arrives: the write is in doubt. The rounds share
one world, so what a crash left behind must not spoil the rounds after it either.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hard_support import add_payments, assert_payments_exactly_once, process_world, seed_invoices

from harness.webconnector import Transcript
from harness.world import World


def run_round(world: World, kill_at: int, kill: Callable[[], None]) -> Transcript:
    """One payment sync; the connector is killed after step ``kill_at`` (0: never)."""
    add_payments(world, "1001", "1002")
    web_connector = world.stations["default"].web_connector
    assert web_connector is not None
    last = None
    for step, transcript in enumerate(web_connector.steps(), start=1):
        last = transcript
        if step == kill_at:
            kill()
    assert last is not None
    return last


@pytest.mark.slow
def test_kill_after_every_step_of_a_payment_sync(tmp_path: Path) -> None:
    with process_world(tmp_path) as (world, connector):
        seed_invoices(world, rate="10000.00")
        assert world.sync().outcome.status == "completed"
        first = run_round(world, 0, connector.kill)
        assert first.outcome.status == "completed", first.outcome
        sent = "".join(exchange.request for exchange in first.qbxml)
        assert "<ReceivePaymentAddRq" in sent and "<ReceivePaymentQueryRq" in sent
        shape = first.methods()
        assert shape[:3] == ["serverVersion", "clientVersion", "authenticate"]
        assert shape[-1] == "closeConnection" and "receiveResponseXML" in shape
        assert_payments_exactly_once(world)

        killed_after: list[str] = []
        for round_no, kill_at in enumerate(range(1, len(shape) + 1), start=2):
            methods = run_round(world, kill_at, connector.kill).methods()
            assert methods[:kill_at] == shape[:kill_at], methods
            point = f"{shape[kill_at - 1]} #{shape[:kill_at].count(shape[kill_at - 1])}"
            killed_after.append(point)
            assert not connector.alive()
            connector.start()
            recovery = world.sync()
            assert recovery.outcome.status == "completed", (point, recovery.outcome)
            assert_payments_exactly_once(world)
            assert len(world.qbd.snapshot()["ReceivePayment"]) == 2 * round_no, point
            assert len(world.app.snapshot()["payments"]) == 2 * round_no, point
        # Every step of the session was a kill point.
        assert len(killed_after) == len(shape) and killed_after[-1] == "closeConnection #1"
