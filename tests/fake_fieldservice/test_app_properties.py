"""Property tests: any sequence of operations keeps the books and the stock consistent,
refusals change nothing, and no JSON body makes the API answer 5xx."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from harness.fake_fieldservice import ROUTES, FieldServiceApp, FieldServiceError

MONEY = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300"), places=2)
QTY = st.integers(min_value=1, max_value=6)
MODES = st.sampled_from(["Cash", "Online", "Check", "Credit Card", "Barter"])


class Books(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.app = FieldServiceApp()
        self.app.create_customer("Acme")
        self.app.create_customer("Bolt")
        self.app.create_location("Main")
        self.app.create_location("Van")
        self.app.set_setting("default_location", "Main")
        self.app.create_product("Pipe", "part", price="4.50")
        self.app.adjust_stock("Pipe", new_quantity="20")

    def attempt(self, action: Any, *args: Any, **kwargs: Any) -> None:
        """Run one operation; if it is refused, nothing may have changed."""
        before = self.app.snapshot()
        try:
            action(*args, **kwargs)
        except FieldServiceError:
            assert self.app.snapshot() == before

    def numbers(self) -> list[str]:
        return [i["number"] for i in self.app.snapshot()["invoices"]]

    def payment_ids(self) -> list[str]:
        return [p["id"] for p in self.app.snapshot()["payments"]]

    @rule(customer=st.sampled_from(["Acme", "Bolt"]), rate=MONEY, pipes=st.integers(0, 8))
    def invoice(self, customer: str, rate: Decimal, pipes: int) -> None:
        lines: list[dict[str, Any]] = [{"description": "Work", "rate": str(rate)}]
        if pipes:
            lines.append({"product": "Pipe", "quantity": str(pipes)})
        self.attempt(self.app.create_invoice, customer, lines)

    @rule(data=st.data(), amount=MONEY, mode=MODES)
    def pay(self, data: st.DataObject, amount: Decimal, mode: str) -> None:
        numbers = self.numbers()
        if numbers:
            number = data.draw(st.sampled_from(numbers))
            self.attempt(self.app.record_payment, str(amount), mode, invoice=number)

    @rule(data=st.data(), amount=MONEY, split=MONEY)
    def split_pay(self, data: st.DataObject, amount: Decimal, split: Decimal) -> None:
        numbers = self.numbers()
        if len(numbers) >= 2:
            pair = data.draw(
                st.lists(st.sampled_from(numbers), min_size=2, max_size=2, unique=True)
            )
            self.attempt(
                self.app.record_payment,
                str(amount),
                "Cash",
                applications={pair[0]: str(split), pair[1]: "0.01"},
            )

    @rule(data=st.data(), action=st.sampled_from(["void", "fail", "delete", "edit"]), amount=MONEY)
    def change_payment(self, data: st.DataObject, action: str, amount: Decimal) -> None:
        ids = self.payment_ids()
        if not ids:
            return
        payment = data.draw(st.sampled_from(ids))
        if action == "edit":
            self.attempt(self.app.edit_payment, payment, amount=str(amount))
        else:
            self.attempt(getattr(self.app, f"{action}_payment"), payment)

    @rule(
        data=st.data(),
        action=st.sampled_from(["void", "delete", "relines"]),
        pipes=st.integers(0, 8),
    )
    def change_invoice(self, data: st.DataObject, action: str, pipes: int) -> None:
        numbers = self.numbers()
        if not numbers:
            return
        number = data.draw(st.sampled_from(numbers))
        if action == "relines":
            self.attempt(
                self.app.edit_invoice,
                number,
                lines=[{"product": "Pipe", "quantity": str(pipes), "rate": "1.00"}],
            )
        else:
            self.attempt(getattr(self.app, f"{action}_invoice"), number)

    @rule(qty=QTY, where=st.sampled_from(["Main", "Van"]), transfer=st.booleans())
    def stock(self, qty: int, where: str, transfer: bool) -> None:
        if transfer:
            other = "Van" if where == "Main" else "Main"
            self.attempt(self.app.transfer_stock, "Pipe", where, other, str(qty))
        else:
            self.attempt(
                self.app.adjust_stock, "Pipe", location=where, quantity_difference=str(-qty)
            )

    @rule(allow=st.booleans())
    def negative_setting(self, allow: bool) -> None:
        self.app.set_setting("allow_negative_stock", allow)

    @invariant()
    def balances_follow_active_payments(self) -> None:
        snap = self.app.snapshot()
        applied: dict[str, Decimal] = {}
        for payment in snap["payments"]:
            total_applied = sum((Decimal(a["amount"]) for a in payment["applications"]), Decimal(0))
            assert total_applied <= Decimal(payment["amount"])
            assert Decimal(payment["unapplied"]) == Decimal(payment["amount"]) - total_applied
            if payment["status"] == "active":
                for app_ in payment["applications"]:
                    applied[app_["invoice_id"]] = applied.get(
                        app_["invoice_id"], Decimal(0)
                    ) + Decimal(app_["amount"])
        for invoice in snap["invoices"]:
            expected = Decimal(invoice["total"]) - applied.get(invoice["id"], Decimal(0))
            assert Decimal(invoice["balance"]) == expected
            assert expected >= 0
            if invoice["status"] == "paid":
                assert expected == 0

    @invariant()
    def stock_is_the_sum_of_movements(self) -> None:
        snap = self.app.snapshot()
        for product in snap["products"]:
            per_location: dict[str, Decimal] = {}
            for movement in snap["movements"]:
                if movement["product_id"] == product["id"]:
                    loc = movement["location_id"]
                    per_location[loc] = per_location.get(loc, Decimal(0)) + Decimal(
                        movement["quantity"]
                    )
            stock = {s["location_id"]: Decimal(s["quantity"]) for s in product["stock"]}
            assert stock == per_location


Books.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None, database=None
)
TestBooks = Books.TestCase


# --- no 5xx for any JSON body ------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**15),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from(
        [
            "125.00",
            "-1",
            "1e400",
            "NaN",
            "0.001",
            "2026-01-05",
            "cus_0001",
            "inv_0001",
            "pay_0001",
            "Cash",
            "",
        ]
    ),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


STRINGS = st.sampled_from(
    [
        "cus_0001",
        "inv_0001",
        "pay_0001",
        "prd_0001",
        "loc_0001",
        "Cash",
        "Online",
        "Acme",
        "1001",
        "x",
        "",
        " ",
    ]
) | st.text(max_size=6)
NUMBERS = st.sampled_from(
    ["125.00", "0", "0.00", "-1", "1.5", "5.00", "99999999999.99", "10", "-0.01"]
)
DATES = st.sampled_from(["2026-01-05", "2026-02-30", "1999-12-31"])


def _from_schema(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that fit a pydantic JSON schema, often at its edges."""
    if "$ref" in schema:
        return _from_schema(defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        return st.one_of([_from_schema(sub, defs) for sub in schema["anyOf"]])
    if "enum" in schema or "const" in schema:
        return st.sampled_from(schema.get("enum", [schema.get("const")]))
    kind = schema.get("type")
    if kind == "string":
        if "pattern" in schema:
            return NUMBERS
        return DATES if schema.get("format") == "date" else STRINGS
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(_from_schema(schema.get("items", {}), defs), max_size=3)
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: _from_schema(v, defs) for k, v in props.items() if k in required},
            optional={k: _from_schema(v, defs) for k, v in props.items() if k not in required},
        )
    return JSON_VALUES


def _body_strategy(model: Any) -> st.SearchStrategy[Any]:
    """Mostly bodies that fit the model's schema (to reach the domain rules), sometimes
    arbitrary JSON (to probe the validation)."""
    schema = model.model_json_schema()
    fitting = _from_schema(schema, schema.get("$defs", {}))
    arbitrary = (
        st.dictionaries(st.sampled_from(list(model.model_fields)), JSON_VALUES, max_size=4)
        | JSON_VALUES
    )
    return st.one_of(fitting, fitting, fitting, arbitrary)


WRITE_ROUTES = [r for r in ROUTES if r.body is not None]


def _fresh() -> tuple[FieldServiceApp, httpx.Client]:
    app = FieldServiceApp()
    app.create_customer("Acme")
    app.create_location("Main")
    app.create_product("Pipe", "part")
    app.create_invoice("Acme", [{"description": "x", "rate": "10.00"}])
    app.record_payment("5.00", "Cash", invoice="1001")
    client = httpx.Client(transport=httpx.WSGITransport(app=app.wsgi), base_url="http://app")
    return app, client


ID_FOR = {
    "customers": "cus_0001",
    "invoices": "inv_0001",
    "payments": "pay_0001",
    "products": "prd_0001",
}


@pytest.mark.slow
@settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data(), route_index=st.integers(0, len(WRITE_ROUTES) - 1))
def test_no_body_makes_the_api_answer_5xx(data: st.DataObject, route_index: int) -> None:
    route = WRITE_ROUTES[route_index]
    body = data.draw(_body_strategy(route.body))
    collection = data.draw(st.sampled_from(sorted(ID_FOR)))
    path = route.rule.replace("<collection>", collection)
    path = path.replace(
        "<id>",
        data.draw(st.sampled_from([ID_FOR[collection], "x", "inv_0001", "pay_0001", "prd_0001"])),
    )
    _, client = _fresh()
    # allow_nan: Python's json (and so the app) reads NaN and Infinity; they must be refused
    raw = json.dumps(body, allow_nan=True)
    answer = client.request(
        route.method, path, content=raw, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code < 500, (route.method, path, body, answer.text)
    assert set(answer.json()) != {"error"} or set(answer.json()["error"]) == {"code", "message"}
