from __future__ import annotations

import pytest

from harness.fake_qbd import QBStatusError


def add_customer(name: str, parent: str | None = None, rid: str = "1") -> str:
    parent_xml = f"<ParentRef><FullName>{parent}</FullName></ParentRef>" if parent else ""
    return (
        f'<CustomerAddRq requestID="{rid}"><CustomerAdd><Name>{name}</Name>{parent_xml}'
        "</CustomerAdd></CustomerAddRq>"
    )


def test_ids_have_the_quickbooks_format(qb, clock):
    ret = qb(add_customer("Acme"))[0][0]
    counter, _, stamp = ret.findtext("ListID").partition("-")
    assert counter == "80000001"
    assert stamp == str(clock.timestamp())
    assert ret.findtext("EditSequence") == str(clock.timestamp())
    assert ret.findtext("TimeCreated") == "2026-01-05T09:00:00-05:00"


def test_list_ids_are_per_list(qb):
    customer = qb(add_customer("Acme"))[0][0]
    method = qb(
        "<PaymentMethodAddRq><PaymentMethodAdd><Name>Cash</Name></PaymentMethodAdd>"
        "</PaymentMethodAddRq>"
    )[0][0]
    assert customer.findtext("ListID").startswith("80000001-")
    assert method.findtext("ListID").startswith("80000001-")


def test_sub_customer_full_name_and_sublevel(qb):
    qb(
        add_customer("Acme")
        + add_customer("Site 1", "ACME", "2")
        + add_customer("Room", "Acme:Site 1", "3")
    )
    msgs = qb("<CustomerQueryRq><FullName>acme:site 1:room</FullName></CustomerQueryRq>")
    ret = msgs[0][0]
    assert ret.findtext("FullName") == "Acme:Site 1:Room"
    assert ret.findtext("Sublevel") == "2"
    assert ret.findtext("ParentRef/FullName") == "Acme:Site 1"


def test_same_name_under_different_parents_is_allowed(qb):
    msgs = qb(
        add_customer("A")
        + add_customer("B", rid="2")
        + add_customer("Job", "A", "3")
        + add_customer("Job", "B", "4")
    )
    assert [rs.get("statusCode") for rs in msgs] == ["0"] * 4


def test_duplicate_name_is_3100_case_insensitively(qb, company):
    qb(add_customer("Acme Corp"))
    rs = qb(add_customer("ACME corp", rid="2"))[0]
    assert rs.get("statusCode") == "3100"
    assert rs.get("statusSeverity") == "Error"
    assert rs.get("statusMessage") == 'The name "ACME corp" of the list element is already in use.'
    assert len(rs) == 0
    assert len(company.snapshot()["Customer"]) == 1


def test_items_share_one_name_space(qb):
    qb(
        "<ItemServiceAddRq><ItemServiceAdd><Name>Widget</Name><SalesOrPurchase><Price>5</Price>"
        "</SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>"
    )
    rs = qb(
        "<ItemInventoryAddRq><ItemInventoryAdd><Name>widget</Name></ItemInventoryAdd>"
        "</ItemInventoryAddRq>"
    )[0]
    assert rs.get("statusCode") == "3100"


def test_missing_parent_is_3140_naming_the_list(qb):
    rs = qb(add_customer("Kid", "Nobody"))[0]
    assert rs.get("statusCode") == "3140"
    assert rs.get("statusMessage").startswith(
        'There is an invalid reference to QuickBooks Customer "Nobody" in the Customer.'
    )


def mod_customer(list_id: str, edit_sequence: str, name: str) -> str:
    return (
        f"<CustomerModRq><CustomerMod><ListID>{list_id}</ListID>"
        f"<EditSequence>{edit_sequence}</EditSequence><Name>{name}</Name></CustomerMod>"
        "</CustomerModRq>"
    )


def test_mod_changes_edit_sequence_even_within_one_second(qb):
    ret = qb(add_customer("Acme"))[0][0]
    list_id, seq = ret.findtext("ListID"), ret.findtext("EditSequence")
    first = qb(mod_customer(list_id, seq, "Acme Inc"))[0][0]
    assert first.findtext("EditSequence") != seq
    second = qb(mod_customer(list_id, first.findtext("EditSequence"), "Acme Ltd"))[0][0]
    assert int(second.findtext("EditSequence")) > int(first.findtext("EditSequence"))
    assert second.findtext("FullName") == "Acme Ltd"


def test_stale_edit_sequence_is_3200_and_changes_nothing(qb, company, clock):
    ret = qb(add_customer("Acme"))[0][0]
    list_id, seq = ret.findtext("ListID"), ret.findtext("EditSequence")
    clock.advance(60)
    qb(mod_customer(list_id, seq, "Acme Inc"))
    before = company.snapshot()
    clock.advance(60)
    rs = qb(mod_customer(list_id, seq, "Acme Stale"))[0]
    assert rs.get("statusCode") == "3200"
    assert rs.get("statusMessage") == f'The provided edit sequence "{seq}" is out-of-date.'
    assert company.snapshot() == before


def test_mod_of_unknown_list_id_is_3120(qb):
    rs = qb(mod_customer("80000099-1767621600", "1", "X"))[0]
    assert rs.get("statusCode") == "3120"
    assert rs.get("statusMessage") == (
        'Object "80000099-1767621600" specified in the request cannot be found.'
    )


def test_rename_of_parent_changes_children_full_names(qb, company):
    ret = qb(add_customer("Acme") + add_customer("Site", "Acme", "2"))[0][0]
    qb(mod_customer(ret.findtext("ListID"), ret.findtext("EditSequence"), "Apex"))
    names = [c["FullName"] for c in company.snapshot()["Customer"]]
    assert names == ["Apex", "Apex:Site"]


def test_inventory_mod_cannot_touch_quantity_on_hand(company):
    from harness.fake_qbd import RequestProcessorError

    item = company.operator.add_item("inventory", "Filter", price="10", quantity_on_hand=5)
    request = (
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
        f"<ItemInventoryModRq><ItemInventoryMod><ListID>{item['ListID']}</ListID>"
        f"<EditSequence>{item['EditSequence']}</EditSequence><QuantityOnHand>9</QuantityOnHand>"
        "</ItemInventoryMod></ItemInventoryModRq></QBXMLMsgsRq></QBXML>"
    )
    with pytest.raises(RequestProcessorError):
        company.process(request)
    assert company.snapshot()["ItemInventory"][0]["QuantityOnHand"] == "5"


def test_query_filters(qb, company, clock):
    qb(add_customer("Bravo") + add_customer("alpha", rid="2"))
    clock.advance(3600)
    company.operator.add_customer("Charlie")
    company.operator.make_inactive("customer", "bravo")
    active = qb("<CustomerQueryRq/>")[0]
    assert [r.findtext("Name") for r in active] == ["alpha", "Charlie"]
    every = qb("<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>")[0]
    assert [r.findtext("Name") for r in every] == ["alpha", "Bravo", "Charlie"]
    inactive = qb("<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></CustomerQueryRq>")
    assert [r.findtext("Name") for r in inactive[0]] == ["Bravo"]
    capped = qb("<CustomerQueryRq><MaxReturned>1</MaxReturned></CustomerQueryRq>")[0]
    assert len(capped) == 1
    # Inclusive at both ends, local time when no offset is given.
    since = qb(
        "<CustomerQueryRq><ActiveStatus>All</ActiveStatus>"
        "<FromModifiedDate>2026-01-05T10:00:00</FromModifiedDate></CustomerQueryRq>"
    )[0]
    assert sorted(r.findtext("Name") for r in since) == ["Bravo", "Charlie"]
    upto = qb(
        "<CustomerQueryRq><ToModifiedDate>2026-01-05T09:00:00-05:00</ToModifiedDate>"
        "</CustomerQueryRq>"
    )[0]
    assert [r.findtext("Name") for r in upto] == ["alpha"]
    in_utc = qb(
        "<CustomerQueryRq><FromModifiedDate>2026-01-05T15:00:00+00:00</FromModifiedDate>"
        "</CustomerQueryRq>"
    )[0]
    assert [r.findtext("Name") for r in in_utc] == ["Charlie"]


def test_query_by_missing_id_is_500_and_returns_the_rest(qb):
    ret = qb(add_customer("Acme"))[0][0]
    rs = qb(
        f"<CustomerQueryRq><ListID>{ret.findtext('ListID')}</ListID>"
        "<ListID>80000077-1</ListID></CustomerQueryRq>"
    )[0]
    assert rs.get("statusCode") == "500"
    assert rs.get("statusSeverity") == "Warn"
    assert '"80000077-1"' in rs.get("statusMessage")
    assert len(rs) == 1


def test_default_accounts_and_tax_codes(qb):
    accounts = qb("<AccountQueryRq/>")[0]
    by_name = {a.findtext("Name"): a.findtext("AccountType") for a in accounts}
    assert by_name["Undeposited Funds"] == "OtherCurrentAsset"
    assert by_name["Accounts Receivable"] == "AccountsReceivable"
    assert "Income" in by_name.values()
    codes = qb("<SalesTaxCodeQueryRq/>")[0]
    assert {c.findtext("Name"): c.findtext("IsTaxable") for c in codes} == {
        "Non": "false",
        "Tax": "true",
    }


def test_include_ret_element_limits_the_ret(qb):
    qb(add_customer("Acme"))
    ret = qb(
        "<CustomerQueryRq><IncludeRetElement>ListID</IncludeRetElement>"
        "<IncludeRetElement>Name</IncludeRetElement></CustomerQueryRq>"
    )[0][0]
    assert [c.tag for c in ret] == ["ListID", "Name"]


def test_operator_errors_are_status_errors(company):
    with pytest.raises(QBStatusError) as caught:
        company.operator.add_customer("Kid", parent="Ghost")
    assert caught.value.code == 3140
    with pytest.raises(ValueError):
        company.operator.add_item("gizmo", "X")


def test_operator_edits_a_customers_fields_like_a_mod(qb, company, clock):
    """A person's edit in the Edit Customer window: the fields given change, the others
    stay, the address block is replaced whole; EditSequence and TimeModified move on, and
    the CustomerRet a connector reads shows the address in schema order."""
    before = company.operator.add_customer("Acme", Phone="555-0100", Email="a@acme.test")
    clock.advance(60)
    after = company.operator.edit_customer(
        "Acme",
        phone="555-0199",
        bill_address={"lines": ["Acme Plumbing", "1 Main St"], "city": "Springfield"},
    )
    assert after["Phone"] == "555-0199" and after["Email"] == "a@acme.test"
    assert after["BillAddress"] == {
        "Addr1": "Acme Plumbing",
        "Addr2": "1 Main St",
        "City": "Springfield",
    }
    assert after["EditSequence"] != before["EditSequence"]
    assert after["TimeModified"] > before["TimeModified"]
    ret = qb("<CustomerQueryRq><FullName>Acme</FullName></CustomerQueryRq>")[0][0]
    assert [e.tag for e in ret.find("BillAddress")] == ["Addr1", "Addr2", "City"]
    assert ret.findtext("Phone") == "555-0199"


def test_operator_gives_a_customer_terms_its_next_invoice_takes(qb, company):
    """Terms chosen in the Edit Customer window are the customer's TermsRef, and an invoice
    added without terms takes them; a name the file lacks is 3140."""
    company.operator.add_customer("Acme")
    after = company.operator.edit_customer("Acme", terms="Net 15")
    assert after["TermsRef"]["FullName"] == "Net 15"
    company.operator.add_item("service", "Labor", price="10.00")
    invoice = company.operator.create_invoice(
        "Acme", [{"item": "Labor", "quantity": 1}], txn_date="2026-03-02"
    )
    assert invoice["TermsRef"]["FullName"] == "Net 15"
    with pytest.raises(QBStatusError) as caught:
        company.operator.edit_customer("Acme", terms="Net 999")
    assert caught.value.code == 3140


def test_operator_customer_edit_mistakes_are_errors(company):
    from harness.fake_qbd.errors import InvalidReference

    company.operator.add_customer("Acme")
    with pytest.raises(InvalidReference):
        company.operator.edit_customer("Nobody", phone="1")
    with pytest.raises(ValueError, match="no field to change"):
        company.operator.edit_customer("Acme")
    with pytest.raises(ValueError, match="unknown address keys: zip"):
        company.operator.edit_customer("Acme", bill_address={"zip": "1"})
    with pytest.raises(ValueError, match="at most 5 lines"):
        company.operator.edit_customer("Acme", ship_address={"lines": ["x"] * 6})
