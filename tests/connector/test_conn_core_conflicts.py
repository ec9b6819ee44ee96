"""SYNC-02 seen from the connector's own history: the loser of a both-sides change is
recorded with who won, whichever master is configured."""

from __future__ import annotations

import pytest

from connector.store import Attempt
from harness.world import World


def _conflicts(world: World, customer_name: str) -> list[Attempt]:
    app_id = world.app.customer(customer_name)["id"]
    store = world.connector.wsgi.sessions.store  # type: ignore[attr-defined]
    company = store.last_company_file().strip().lower()
    return [a for a in store.attempts(company, "customer", app_id) if a.outcome == "conflict"]


@pytest.mark.parametrize(
    ("master", "name_after", "phone_after", "recorded"),
    [
        ("app", "Acme Plumbing", "555-0100", "the app is the master"),
        ("qbd", "Acme Plumbing LLC", None, "QuickBooks is the master"),
    ],
)
def test_the_master_wins_and_the_loser_is_in_the_history(
    master: str, name_after: str, phone_after: str | None, recorded: str
) -> None:
    world = World.build(
        connector_config={"profile": "zuper", "customer_master": master},
    )
    try:
        world.app.create_customer("Acme Plumbing")
        world.sync()
        world.app.edit_customer("Acme Plumbing", phone="555-0100")
        world.qbd.operator.rename("customer", "Acme Plumbing", "Acme Plumbing LLC")
        world.clock.advance(300)
        world.sync()
        # (With the app the master, the CustomerMod also meets the QuickBooks edit: 3200,
        # recorded too, then re-read and sent again.)
        conflicts = _conflicts(world, name_after)
        assert len([a for a in conflicts if recorded in a.status_message]) == 1
        assert world.app.customer(name_after)["phone"] == phone_after
    finally:
        world.close()
