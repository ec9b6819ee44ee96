from harness.runner.compare import (
    MISSING,
    compare_counts,
    compare_side,
    compare_sums,
    select,
    values_equal,
)
from harness.scenario.selectors import parse_selection


def test_scalars_compare_as_a_person_reads_them():
    assert values_equal(250, "250.00")
    assert values_equal("250.00", 250.0)
    assert values_equal(True, "true")
    assert values_equal(None, None)
    assert not values_equal("250.00", "250.01")
    assert not values_equal(None, "")
    assert not values_equal("x", MISSING)
    assert not values_equal(False, "true")


def test_records_are_found_by_any_identity_field_and_only_asserted_fields_count():
    snapshot = {
        "invoices": [
            {"id": "inv_1", "number": "1001", "status": "paid", "balance": "0.00", "x": 1},
            {"id": "inv_2", "number": "1002", "status": "open", "balance": "10.00"},
        ]
    }
    assert compare_side("app", {"invoices": {"1001": {"status": "paid"}}}, snapshot) == []
    assert compare_side("app", {"invoices": {"inv_2": {"balance": 10}}}, snapshot) == []
    [wrong] = compare_side("app", {"invoices": {"1002": {"status": "paid"}}}, snapshot)
    assert wrong.where == "app.invoices[1002].status"
    assert (wrong.expected, wrong.actual) == ("paid", "open")


def test_a_missing_record_or_collection_is_named():
    snapshot = {"invoices": [{"number": "1001"}]}
    [missing] = compare_side("app", {"invoices": {"9999": {"status": "paid"}}}, snapshot)
    assert missing.where == "app.invoices[9999]" and missing.actual is MISSING
    [no_collection] = compare_side("app", {"payments": {"p": {}}}, snapshot)
    assert "invoices" in str(no_collection.expected)


def test_nested_lists_compare_by_length_then_item():
    snapshot = {"Invoice": [{"RefNumber": "7", "Lines": [{"Amount": "5.00"}, {"Amount": "1.00"}]}]}
    ok = {"Invoice": {"7": {"Lines": [{"Amount": 5}, {"Amount": 1}]}}}
    assert compare_side("qbd", ok, snapshot) == []
    short = {"Invoice": {"7": {"Lines": [{"Amount": 5}]}}}
    assert len(compare_side("qbd", short, snapshot)) == 1


def test_counts_with_and_without_a_filter():
    snapshot = {"payments": [{"status": "active"}, {"status": "voided"}, {"status": "active"}]}
    assert compare_counts("app", {"payments": 3, "payments[status=active]": 2}, snapshot) == []
    [wrong] = compare_counts("app", {"payments[status=voided]": 2}, snapshot)
    assert (wrong.expected, wrong.actual) == (2, 1)


PAYMENTS = {
    "payments": [
        {
            "id": "p1",
            "amount": "40.00",
            "status": "active",
            "reference": "A-17",
            "applications": [{"invoice_id": "inv_1", "amount": "40.00"}],
        },
        {
            "id": "p2",
            "amount": "60.00",
            "status": "voided",
            "reference": "",
            "applications": [{"invoice_id": "inv_1", "amount": "60.00"}],
        },
        {
            "id": "p3",
            "amount": "25.00",
            "status": "active",
            "reference": None,
            "applications": [
                {"invoice_id": "inv_2", "amount": "10.00"},
                {"invoice_id": "inv_1", "amount": "15.00"},
            ],
        },
    ]
}


def test_matchers_stand_where_a_value_is_expected():
    ok = {
        "payments": {
            "p1": {
                "reference": {"contains": "-1"},
                "amount": {"one_of": ["10.00", 40]},
                "status": {"matches": "act(ive|ed)"},
                "applications": {"not_empty": True},
            }
        }
    }
    assert compare_side("app", ok, PAYMENTS) == []
    wrong = {
        "payments": {
            "p2": {"reference": {"not_empty": True}, "status": {"matches": "act"}},
            "p3": {"reference": {"contains": "A"}, "amount": {"one_of": ["40.00"]}},
        }
    }
    found = {m.where: m for m in compare_side("app", wrong, PAYMENTS)}
    assert sorted(found) == [
        "app.payments[p2].reference",
        "app.payments[p2].status",  # "matches" is a full match, not a search
        "app.payments[p3].amount",
        "app.payments[p3].reference",  # null contains nothing
    ]
    assert found["app.payments[p3].amount"].expected == "one of ['40.00']"
    # A field that is not there at all never matches, not even "one of [null]".
    [absent] = compare_side("app", {"payments": {"p1": {"memo": {"one_of": [None]}}}}, PAYMENTS)
    assert absent.actual is MISSING


def test_selections_filter_by_nested_fields_and_negation():
    assert len(select(PAYMENTS, "payments")) == 3
    assert [r["id"] for r in select(PAYMENTS, "payments[status!=voided]")] == ["p1", "p3"]
    # Crossing a list: any application may match (p3 pays inv_2 and inv_1).
    on_inv_1 = "payments[status=active][applications.invoice_id=inv_1]"
    assert [r["id"] for r in select(PAYMENTS, on_inv_1)] == ["p1", "p3"]
    assert select(PAYMENTS, "payments[applications.invoice_id!=inv_1]") == []
    assert compare_counts("app", {on_inv_1: 2}, PAYMENTS) == []
    [wrong] = compare_counts("app", {on_inv_1: 1}, PAYMENTS)
    assert (wrong.expected, wrong.actual) == (1, 2)


def test_sums_total_one_field_over_a_selection():
    assert compare_sums("app", {"payments[status=active].amount": "65.00"}, PAYMENTS) == []
    nested = {"payments[status=active].applications.amount": 65}
    assert compare_sums("app", nested, PAYMENTS) == []
    [wrong] = compare_sums("app", {"payments.amount": "100.00"}, PAYMENTS)
    assert (wrong.expected, wrong.actual) == ("100.00", "125.00")


def test_a_selection_that_is_not_one_is_named():
    assert parse_selection("payments[status]") is None
    assert parse_selection("payments[status=a]x") is None
    assert parse_selection("payments[a=1][b.c!=2]") == (
        "payments",
        [("a", True, "1"), ("b.c", False, "2")],
    )
