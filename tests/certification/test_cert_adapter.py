"""The app adapter is the whole app vocabulary of scenarios; the fake app implements all
of it; what an adapter leaves out makes a scenario inconclusive, never a pass or failure."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from cert_support import REPO

from harness.adapter import AdapterLoadError, AppAdapter, load_adapter, supported_actions
from harness.fieldservice_adapter import FieldServiceAdapter
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.scenario.actions import actions_of
from harness.world import WorldOptions

ADAPTER_ACTIONS = set(actions_of(AppAdapter, "app"))


def _public(cls: type) -> dict[str, Any]:
    return {
        name: func
        for name, func in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_the_registry_offers_exactly_the_adapter_actions() -> None:
    assert set(default_registry().app) == ADAPTER_ACTIONS
    assert {"create_customer", "record_payment", "adjust_stock"} <= ADAPTER_ACTIONS
    assert "snapshot" not in ADAPTER_ACTIONS and "invoice" not in ADAPTER_ACTIONS


def test_the_fake_app_implements_every_action_with_the_adapter_signature() -> None:
    fake = _public(FieldServiceAdapter)
    for name in sorted(ADAPTER_ACTIONS):
        assert fake[name] is not getattr(AppAdapter, name), f"the fake app lacks {name}"
        ours, theirs = inspect.signature(fake[name]), inspect.signature(getattr(AppAdapter, name))
        assert list(ours.parameters.values()) == list(theirs.parameters.values()), name
    assert supported_actions(FieldServiceAdapter) == sorted(ADAPTER_ACTIONS)


def test_every_public_action_of_the_fake_app_is_in_the_adapter() -> None:
    """A new app method must be added to AppAdapter before scenarios can use it."""
    fake_actions = {
        name
        for name, func in _public(FieldServiceAdapter).items()
        if not func.__dict__.get("not_an_action")
    }
    assert fake_actions - ADAPTER_ACTIONS == set()


class _NoInvoices(FieldServiceAdapter):
    """The fake app behind an adapter that cannot create invoices."""

    create_invoice = AppAdapter.create_invoice  # type: ignore[assignment]


class _NoInvoiceReads(FieldServiceAdapter):
    """The fake app behind an adapter that cannot read invoices."""

    def snapshot(self) -> dict[str, Any]:
        return {k: v for k, v in super().snapshot().items() if k != "invoices"}


PAY_02 = REPO / "scenarios" / "payments" / "pay-02-full-payment.yaml"


def _run(path: Path, adapter: type[AppAdapter]) -> Any:
    loaded = load_scenario(path, default_registry())
    return run_scenario(loaded, RunOptions(WorldOptions(app_adapter=adapter)))


def test_an_unimplemented_action_makes_the_scenario_inconclusive() -> None:
    result = _run(PAY_02, _NoInvoices)
    assert result.status == "inconclusive"
    assert "app.create_invoice" in (result.reason or "")
    assert "_NoInvoices does not implement" in (result.reason or "")
    assert result.failure is None


def test_a_check_on_a_collection_the_adapter_cannot_read_is_inconclusive() -> None:
    result = _run(PAY_02, _NoInvoiceReads)
    assert result.status == "inconclusive"
    assert "does not read invoices" in (result.reason or "")


def test_the_same_scenario_passes_with_the_whole_fake_app() -> None:
    assert _run(PAY_02, FieldServiceAdapter).status == "passed"


def test_default_reads_come_from_the_snapshot() -> None:
    class Reads(AppAdapter):
        def snapshot(self) -> dict[str, Any]:
            return {"invoices": [{"number": "1001", "balance": "5.00"}], "products": []}

    adapter = Reads()
    assert adapter.invoice("1001")["balance"] == "5.00"
    with pytest.raises(LookupError, match="no product with name 'Pump'"):
        adapter.product("Pump")
    with pytest.raises(NotImplementedError, match=r"Reads does not implement app\.record_payment"):
        adapter.record_payment("5.00", "Cash")
    assert supported_actions(Reads) == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("no_colon", "expected MODULE:CLASS"),
        ("no_such_module_xyz:Thing", "cannot import no_such_module_xyz"),
        ("harness.world:World", "is not a subclass of harness.adapter.AppAdapter"),
        ("harness.adapter:AppAdapter", "must implement snapshot"),
    ],
)
def test_a_bad_adapter_spec_is_a_clear_error(spec: str, message: str) -> None:
    with pytest.raises(AdapterLoadError, match=message):
        load_adapter(spec)


def test_the_fake_app_loads_as_an_adapter() -> None:
    assert load_adapter("harness.fieldservice_adapter:FieldServiceAdapter") is FieldServiceAdapter


class _NoSettings(FieldServiceAdapter):
    """The fake app behind an adapter that cannot change the app's settings."""

    set_setting = AppAdapter.set_setting  # type: ignore[assignment]


def test_app_settings_an_adapter_cannot_set_make_the_scenario_inconclusive() -> None:
    path = REPO / "scenarios" / "inventory" / "inv-15-consumption-module-stops.yaml"
    result = _run(path, _NoSettings)
    assert result.status == "inconclusive"
    assert "does not implement app.set_setting" in (result.reason or "")
