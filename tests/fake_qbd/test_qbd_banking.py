from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.clock import SimClock
from harness.fake_qbd import QBDCompany


@pytest.fixture
def paid(company):
    op = company.operator
    op.add_customer("Acme")
    op.add_item("service", "Labor", price="50.00")
    op.add_item("inventory", "Filter", price="10.00", quantity_on_hand=3)
    op.add_payment_method("Check")
    op.create_invoice("Acme", [{"item": "Labor", "quantity": 2}], ref_number="1")
    op.receive_payment(
        "Acme", "100.00", method="Check", applied_to=[{"invoice": "1"}], ref_number="P1"
    )
    return company


def balances(company: QBDCompany) -> dict[str, str]:
    return {a["Name"]: a["Balance"] for a in company.snapshot()["Account"]}


def test_deposit_moves_payments_out_of_undeposited_funds(qb, paid):
    payment = paid.snapshot()["ReceivePayment"][0]["TxnID"]
    assert balances(paid)["Undeposited Funds"] == "100.00"
    ret = qb(
        "<DepositAddRq><DepositAdd><DepositToAccountRef><FullName>Checking</FullName>"
        f"</DepositToAccountRef><DepositLineAdd><PaymentTxnID>{payment}</PaymentTxnID>"
        "</DepositLineAdd></DepositAdd></DepositAddRq>"
    )[0][0]
    assert ret.findtext("DepositTotal") == "100.00"
    line = ret.find("DepositLineRet")
    assert (line.findtext("TxnType"), line.findtext("TxnID")) == ("ReceivePayment", payment)
    assert line.findtext("EntityRef/FullName") == "Acme"
    assert balances(paid)["Undeposited Funds"] == "0.00"
    assert balances(paid)["Checking"] == "100.00"
    again = qb(
        "<DepositAddRq><DepositAdd><DepositToAccountRef><FullName>Checking</FullName>"
        f"</DepositToAccountRef><DepositLineAdd><PaymentTxnID>{payment}</PaymentTxnID>"
        "</DepositLineAdd></DepositAdd></DepositAddRq>"
    )[0]
    assert again.get("statusCode") == "3210"
    refused = qb(
        f"<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType><TxnID>{payment}</TxnID></TxnDelRq>"
    )[0]
    assert refused.get("statusCode") == "3170"
    assert len(paid.snapshot()["ReceivePayment"]) == 1


def test_credit_memo_lowers_the_balance_and_returns_stock(qb, paid):
    ret = qb(
        "<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<CreditMemoLineAdd><ItemRef><FullName>Filter</FullName></ItemRef><Quantity>1</Quantity>"
        "</CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>"
    )[0][0]
    assert (ret.findtext("TotalAmount"), ret.findtext("CreditRemaining")) == ("10.00", "10.00")
    snap = paid.snapshot()
    assert snap["Customer"][0]["Balance"] == "-10.00"
    assert snap["ItemInventory"][0]["QuantityOnHand"] == "4"


def test_deleted_queries(qb, paid, clock):
    clock.advance(60)
    invoice = paid.snapshot()["Invoice"][0]["TxnID"]
    qb(f"<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>{invoice}</TxnID></TxnDelRq>")
    rets = qb(
        "<TxnDeletedQueryRq><TxnDelType>Invoice</TxnDelType>"
        "<TxnDelType>ReceivePayment</TxnDelType></TxnDeletedQueryRq>"
    )[0]
    assert [(r.findtext("TxnID"), r.findtext("RefNumber")) for r in rets] == [(invoice, "1")]
    assert rets[0].findtext("TimeDeleted") == "2026-01-05T09:01:00-05:00"
    none = qb("<TxnDeletedQueryRq><TxnDelType>CreditMemo</TxnDelType></TxnDeletedQueryRq>")[0]
    assert none.get("statusCode") == "1"
    # The payment survives with its money as unused credit.
    assert paid.snapshot()["ReceivePayment"][0]["UnusedPayment"] == "100.00"


def test_list_del_refuses_what_is_in_use(qb, paid):
    snap = paid.snapshot()
    acme = snap["Customer"][0]["ListID"]
    rs = qb(f"<ListDelRq><ListDelType>Customer</ListDelType><ListID>{acme}</ListID></ListDelRq>")[0]
    assert rs.get("statusCode") == "3170"
    unused = paid.operator.add_customer("Nobody")["ListID"]
    ok = qb(f"<ListDelRq><ListDelType>Customer</ListDelType><ListID>{unused}</ListID></ListDelRq>")
    assert ok[0].findtext("FullName") == "Nobody"
    listed = qb("<ListDeletedQueryRq><ListDelType>Customer</ListDelType></ListDeletedQueryRq>")[0]
    assert [r.findtext("ListID") for r in listed] == [unused]
    assert paid.snapshot()["ListDeleted"][0]["FullName"] == "Nobody"


@settings(max_examples=30, deadline=None)
@given(changes=st.lists(st.tuples(st.booleans(), st.integers(0, 5)), min_size=1, max_size=6))
def test_a_stale_edit_sequence_never_changes_anything(changes):
    """Whatever edits happened, a Mod carrying an older EditSequence changes nothing."""
    clock = SimClock()
    company = QBDCompany(clock=clock)
    record = company.operator.add_customer("Acme")
    sequences = [record["EditSequence"]]
    for number, (stale, wait) in enumerate(changes):
        clock.advance(wait)
        current = company.snapshot()["Customer"][0]["EditSequence"]
        used = sequences[0] if stale and len(sequences) > 1 else current
        before = company.snapshot()
        text = company.process(
            '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
            '<QBXMLMsgsRq onError="stopOnError"><CustomerModRq><CustomerMod>'
            f"<ListID>{record['ListID']}</ListID><EditSequence>{used}</EditSequence>"
            f"<Name>Acme {number}</Name></CustomerMod></CustomerModRq></QBXMLMsgsRq></QBXML>"
        )
        if used != current:
            assert 'statusCode="3200"' in text
            assert company.snapshot() == before
        else:
            assert 'statusCode="0"' in text
            after = company.snapshot()["Customer"][0]["EditSequence"]
            assert after not in sequences
            sequences.append(after)
