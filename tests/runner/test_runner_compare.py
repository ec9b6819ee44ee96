from harness.runner.compare import MISSING, compare_counts, compare_side, values_equal


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
