from __future__ import annotations

import pytest

from harness.fake_qbd import NotModeledError, QBStatusError
from tests.fake_qbd.conftest import envelope


@pytest.fixture
def world(company):
    op = company.operator
    op.add_customer("Acme")
    op.add_customer("Site", parent="Acme")
    op.add_customer("Other")
    op.add_item("service", "Labor", price="50.00", taxable=False)
    op.add_item("inventory", "Filter", price="12.50", taxable=True, quantity_on_hand=10)
    op.add_payment_method("Check")
    return company


def invoice_add(customer: str, lines: str, ref: str = "", rid: str = "1") -> str:
    ref_xml = f"<RefNumber>{ref}</RefNumber>" if ref else ""
    return (
        f'<InvoiceAddRq requestID="{rid}"><InvoiceAdd><CustomerRef><FullName>{customer}'
        f"</FullName></CustomerRef>{ref_xml}{lines}</InvoiceAdd></InvoiceAddRq>"
    )


def line(item: str, quantity: str, rate: str = "") -> str:
    rate_xml = f"<Rate>{rate}</Rate>" if rate else ""
    return (
        f"<InvoiceLineAdd><ItemRef><FullName>{item}</FullName></ItemRef>"
        f"<Quantity>{quantity}</Quantity>{rate_xml}</InvoiceLineAdd>"
    )


def payment_add(
    customer: str,
    total: str,
    applied: list[tuple[str, str]] | None = None,
    extra: str = "",
    auto: bool | None = None,
) -> str:
    applied_xml = "".join(
        f"<AppliedToTxnAdd><TxnID>{txn}</TxnID><PaymentAmount>{amt}</PaymentAmount>"
        "</AppliedToTxnAdd>"
        for txn, amt in applied or []
    )
    auto_xml = "" if auto is None else f"<IsAutoApply>{str(auto).lower()}</IsAutoApply>"
    return (
        f"<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>{customer}</FullName>"
        f"</CustomerRef><TotalAmount>{total}</TotalAmount>{extra}{auto_xml}{applied_xml}"
        "</ReceivePaymentAdd></ReceivePaymentAddRq>"
    )


def test_invoice_totals_and_stock(qb, world):
    ret = qb(invoice_add("Acme:Site", line("Labor", "2") + line("Filter", "3", "12.00"), "1001"))[
        0
    ][0]
    assert ret.findtext("Subtotal") == "136.00"
    assert ret.findtext("BalanceRemaining") == "136.00"
    assert ret.findtext("IsPaid") == "false"
    assert [r.findtext("Amount") for r in ret.findall("InvoiceLineRet")] == ["100.00", "36.00"]
    assert ret.find("InvoiceLineRet/SalesTaxCodeRef/FullName").text == "Non"
    snap = world.snapshot()
    assert snap["ItemInventory"][0]["QuantityOnHand"] == "7"
    site = next(c for c in snap["Customer"] if c["FullName"] == "Acme:Site")
    acme = next(c for c in snap["Customer"] if c["FullName"] == "Acme")
    assert (site["Balance"], acme["Balance"], acme["TotalBalance"]) == ("136.00", "0.00", "136.00")


def test_invoice_with_unknown_item_is_3140_naming_the_line(qb, world):
    rs = qb(invoice_add("Acme", line("Ghost", "1")))[0]
    assert rs.get("statusCode") == "3140"
    assert rs.get("statusMessage").startswith(
        'There is an invalid reference to QuickBooks Item "Ghost" in the Invoice line.'
    )
    assert world.snapshot()["Invoice"] == []


def test_txn_ids_are_unique_across_types(qb, world):
    inv = qb(invoice_add("Acme", line("Labor", "1")))[0][0]
    pay = qb(payment_add("Acme", "10.00", auto=False))[0][0]
    counters = [
        inv.findtext("InvoiceLineRet/TxnLineID"),
        inv.findtext("TxnID"),
        pay.findtext("TxnID"),
    ]
    # Lines draw from the transactions' counter: a TxnLineID never equals a TxnID.
    assert [c.split("-")[0] for c in counters] == ["80000001", "80000002", "80000003"]


def test_invoice_ret_carries_the_form_fields_quickbooks_fills_in(qb, world):
    ret = qb(invoice_add("Acme", line("Labor", "1")))[0][0]
    assert ret.findtext("TemplateRef/FullName") == "Intuit Product Invoice"
    assert ret.findtext("DueDate") == ret.findtext("TxnDate")
    assert ret.findtext("IsPending") == "false"
    assert ret.findtext("IsToBePrinted") == "true"
    assert ret.findtext("IsToBeEmailed") == "false"


def test_customer_ret_carries_job_status(qb):
    rs = qb("<CustomerAddRq><CustomerAdd><Name>Harbor</Name></CustomerAdd></CustomerAddRq>")
    assert rs[0][0].findtext("JobStatus") == "None"


def test_an_invoice_over_the_credit_limit_is_accepted(qb):
    """Decided (docs/fake_qbd.md): the SDK does not enforce a credit limit here, no 3180 and
    no warning; a connector never meets one."""
    qb(
        "<CustomerAddRq><CustomerAdd><Name>Tight</Name><CreditLimit>10.00</CreditLimit>"
        "</CustomerAdd></CustomerAddRq>"
    )
    rs = qb(
        invoice_add(
            "Tight", "<InvoiceLineAdd><Desc>Visit</Desc><Amount>50.00</Amount></InvoiceLineAdd>"
        )
    )[0]
    assert (rs.get("statusCode"), rs.get("statusSeverity")) == ("0", "Info")
    customer = qb("<CustomerQueryRq><FullName>Tight</FullName></CustomerQueryRq>")[0][0]
    assert (customer.findtext("CreditLimit"), customer.findtext("Balance")) == ("10.00", "50.00")


def test_payment_applied_to_several_invoices_partly_with_credit(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "2"), "A1"))[0][0].findtext("TxnID")
    b = qb(invoice_add("Acme", line("Labor", "1"), "A2"))[0][0].findtext("TxnID")
    ret = qb(
        payment_add(
            "Acme",
            "200.00",
            [(a, "100.00"), (b, "20.00")],
            extra="<PaymentMethodRef><FullName>check</FullName></PaymentMethodRef>",
        )
    )[0][0]
    assert ret.findtext("UnusedPayment") == "80.00"
    assert ret.findtext("DepositToAccountRef/FullName") == "Undeposited Funds"
    assert ret.findtext("PaymentMethodRef/FullName") == "Check"
    applied = ret.findall("AppliedToTxnRet")
    assert [
        (x.findtext("RefNumber"), x.findtext("Amount"), x.findtext("BalanceRemaining"))
        for x in applied
    ] == [("A1", "100.00", "0.00"), ("A2", "20.00", "30.00")]
    invoices = {i["RefNumber"]: i for i in world.snapshot()["Invoice"]}
    assert invoices["A1"]["IsPaid"] == "true"
    assert invoices["A1"]["AppliedAmount"] == "-100.00"
    assert invoices["A2"]["BalanceRemaining"] == "30.00"
    acme = world.snapshot()["Customer"][0]
    assert acme["Balance"] == "-50.00"  # 30 open less 80 unused credit


def credit_memo_add(customer: str, quantity: str) -> str:
    return (
        f'<CreditMemoAddRq requestID="2"><CreditMemoAdd><CustomerRef><FullName>{customer}'
        "</FullName></CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Labor</FullName>"
        f"</ItemRef><Quantity>{quantity}</Quantity></CreditMemoLineAdd></CreditMemoAdd>"
        "</CreditMemoAddRq>"
    )


def set_credit(invoice: str, credit: str, amount: str, paid: str = "0.00") -> str:
    return (
        f"<AppliedToTxnAdd><TxnID>{invoice}</TxnID><PaymentAmount>{paid}</PaymentAmount>"
        f"<SetCredit><CreditTxnID>{credit}</CreditTxnID><AppliedAmount>{amount}</AppliedAmount>"
        "</SetCredit></AppliedToTxnAdd>"
    )


def test_a_credit_memo_applied_by_a_payment_settles_the_invoice(qb, world):
    """ReceivePaymentAdd SetCredit: the invoice owes less (paid at 0), the credit memo has
    less left, the customer's Balance is unchanged, and the AppliedToTxnRet shows the
    credit as a LinkedTxn (validated against qbXML 13.0 by the ``qb`` fixture)."""
    a = qb(invoice_add("Acme", line("Labor", "5"), "A1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add("Acme", "1"))[0][0].findtext("TxnID")
    before = world.snapshot()["Customer"][0]["Balance"]
    ret = qb(payment_add("Acme", "200.00", extra=set_credit(a, credit, "50.00", "200.00")))[0][0]
    applied = ret.find("AppliedToTxnRet")
    assert (applied.findtext("Amount"), applied.findtext("BalanceRemaining")) == ("200.00", "0.00")
    link = applied.find("LinkedTxn")
    assert (link.findtext("TxnID"), link.findtext("TxnType"), link.findtext("Amount")) == (
        credit,
        "CreditMemo",
        "-50.00",
    )
    assert ret.findtext("UnusedPayment") == "0.00"
    snapshot = world.snapshot()
    invoice = snapshot["Invoice"][0]
    assert (invoice["BalanceRemaining"], invoice["IsPaid"], invoice["AppliedAmount"]) == (
        "0.00",
        "true",
        "-250.00",
    )
    assert snapshot["CreditMemo"][0]["CreditRemaining"] == "0.00"
    assert before == "200.00"  # 250 owed less the 50 credit
    assert snapshot["Customer"][0]["Balance"] == "0.00"


def test_a_credit_applied_with_no_payment_leaves_the_rest_of_both(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "5"), "A1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add("Acme", "2"))[0][0].findtext("TxnID")
    ret = qb(payment_add("Acme", "0.00", extra=set_credit(a, credit, "60.00")))[0][0]
    assert ret.findtext("AppliedToTxnRet/BalanceRemaining") == "190.00"
    snapshot = world.snapshot()
    assert snapshot["Invoice"][0]["IsPaid"] == "false"
    assert snapshot["CreditMemo"][0]["CreditRemaining"] == "40.00"
    assert snapshot["Customer"][0]["Balance"] == "150.00"  # 190 owed less 40 credit left


@pytest.mark.parametrize(
    ("memo_customer", "amount", "field", "reason"),
    [
        ("Other", "50.00", "CreditTxnID", "The credit does not belong to the payment's customer."),
        (
            "Acme",
            "60.00",
            "SetCredit AppliedAmount",
            "The amount is more than the credit remaining.",
        ),
    ],
)
def test_a_credit_of_another_customer_or_beyond_what_is_left_is_3210(
    qb, world, memo_customer, amount, field, reason
):
    a = qb(invoice_add("Acme", line("Labor", "5"), "A1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add(memo_customer, "1"))[0][0].findtext("TxnID")
    rs = qb(payment_add("Acme", "0.00", extra=set_credit(a, credit, amount)))[0]
    assert rs.get("statusCode") == "3210"
    assert field in rs.get("statusMessage") and reason in rs.get("statusMessage")
    snapshot = world.snapshot()
    assert snapshot["ReceivePayment"] == []
    assert snapshot["Invoice"][0]["BalanceRemaining"] == "250.00"


def test_a_credit_beyond_the_invoices_open_balance_is_3210(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "1"), "A1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add("Acme", "2"))[0][0].findtext("TxnID")
    rs = qb(payment_add("Acme", "10.00", extra=set_credit(a, credit, "45.00", "10.00")))[0]
    assert rs.get("statusCode") == "3210"
    assert "The credits and payment applied exceed the amount due." in rs.get("statusMessage")
    credit_only = qb(payment_add("Acme", "0.00", extra=set_credit(a, credit, "50.01")))[0]
    assert credit_only.get("statusCode") == "3210"
    assert world.snapshot()["ReceivePayment"] == []


def test_a_credit_used_up_by_one_payment_is_refused_to_the_next(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "5"), "A1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add("Acme", "1"))[0][0].findtext("TxnID")
    assert (
        qb(payment_add("Acme", "0.00", extra=set_credit(a, credit, "50.00")))[0].get("statusCode")
        == "0"
    )
    again = qb(payment_add("Acme", "0.00", extra=set_credit(a, credit, "50.00")))[0]
    assert again.get("statusCode") == "3210"
    assert world.snapshot()["Invoice"][0]["BalanceRemaining"] == "200.00"


def test_deleting_an_applied_credit_memo_leaves_the_invoice_owing(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "5"), "A1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add("Acme", "1"))[0][0].findtext("TxnID")
    qb(payment_add("Acme", "0.00", extra=set_credit(a, credit, "50.00")))
    rs = qb(f"<TxnDelRq><TxnDelType>CreditMemo</TxnDelType><TxnID>{credit}</TxnID></TxnDelRq>")[0]
    assert rs.get("statusCode") == "0"
    assert world.snapshot()["Invoice"][0]["BalanceRemaining"] == "250.00"


def test_include_linked_txns_lists_a_credit_applied_after_its_payment(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "5"), "L1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add("Acme", "1"))[0][0].findtext("TxnID")
    pay = qb(payment_add("Acme", "0.00", extra=set_credit(a, credit, "50.00")))[0][0]
    ret = qb(
        "<InvoiceQueryRq><RefNumber>L1</RefNumber><IncludeLinkedTxns>true</IncludeLinkedTxns>"
        "</InvoiceQueryRq>"
    )[0][0]
    assert [
        (link.findtext("TxnID"), link.findtext("TxnType"), link.findtext("Amount"))
        for link in ret.findall("LinkedTxn")
    ] == [(pay.findtext("TxnID"), "ReceivePayment", "0.00"), (credit, "CreditMemo", "-50.00")]


def test_a_payment_mod_replacing_its_applications_drops_its_credits(qb, world):
    """AppliedToTxnMod replaces every application (unconfirmed), the credits with them: the
    invoice owes again and the credit memo has its credit back."""
    a = qb(invoice_add("Acme", line("Labor", "5"), "A1"))[0][0].findtext("TxnID")
    credit = qb(credit_memo_add("Acme", "1"))[0][0].findtext("TxnID")
    pay = qb(payment_add("Acme", "200.00", extra=set_credit(a, credit, "50.00", "200.00")))
    ret = pay[0][0]
    rs = qb(
        f"<ReceivePaymentModRq><ReceivePaymentMod><TxnID>{ret.findtext('TxnID')}</TxnID>"
        f"<EditSequence>{ret.findtext('EditSequence')}</EditSequence>"
        f"<TotalAmount>250.00</TotalAmount><AppliedToTxnMod><TxnID>{a}</TxnID>"
        "<PaymentAmount>250.00</PaymentAmount></AppliedToTxnMod></ReceivePaymentMod>"
        "</ReceivePaymentModRq>"
    )[0]
    assert rs.get("statusCode") == "0", rs.get("statusMessage")
    assert rs[0].find("AppliedToTxnRet/LinkedTxn") is None
    snapshot = world.snapshot()
    assert snapshot["Invoice"][0]["BalanceRemaining"] == "0.00"
    assert snapshot["CreditMemo"][0]["CreditRemaining"] == "50.00"


def test_credits_on_an_invoice_itself_are_not_modeled_rather_than_ignored(qb, company, world):
    """InvoiceAdd's SetCredit used to be answered Status OK with nothing applied: refused
    as not modeled, with nothing changed (the run is inconclusive, not a false pass)."""
    credit = qb(credit_memo_add("Acme", "1"))[0][0].findtext("TxnID")
    body = invoice_add(
        "Acme",
        f"<SetCredit><CreditTxnID>{credit}</CreditTxnID><AppliedAmount>50.00"
        f"</AppliedAmount></SetCredit>{line('Labor', '1')}",
    )
    with pytest.raises(NotModeledError) as caught:
        company.process(envelope(body))
    assert "InvoiceAdd with SetCredit" in caught.value.message
    assert world.snapshot()["Invoice"] == []


def test_overpaying_an_invoice_is_3210(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "1")))[0][0].findtext("TxnID")
    rs = qb(payment_add("Acme", "80.00", [(a, "60.00")]))[0]
    assert rs.get("statusCode") == "3210"
    assert rs.get("statusMessage") == (
        'The "AppliedToTxnAdd payment amount" field has an invalid value "60.00".  '
        "QuickBooks error message: You cannot pay more than the amount due."
    )
    assert world.snapshot()["ReceivePayment"] == []


def test_applying_more_than_the_payment_is_3210(qb, world):
    a = qb(invoice_add("Acme", line("Labor", "2")))[0][0].findtext("TxnID")
    rs = qb(payment_add("Acme", "10.00", [(a, "60.00")]))[0]
    assert rs.get("statusCode") == "3210"
    assert rs.get("statusMessage").startswith(
        'The "TotalAmount" field has an invalid value "10.00".'
    )


def test_auto_apply_pays_oldest_first(qb, world, clock):
    qb(invoice_add("Acme", line("Labor", "1"), "1"))
    clock.advance(86400)
    qb(invoice_add("Acme", line("Labor", "1"), "2"))
    ret = qb(payment_add("Acme", "70.00", auto=True))[0][0]
    assert [
        (x.findtext("RefNumber"), x.findtext("Amount")) for x in ret.findall("AppliedToTxnRet")
    ] == [("1", "50.00"), ("2", "20.00")]


def test_auto_apply_pays_the_invoice_matching_the_amount_first(qb, world, clock):
    qb(invoice_add("Acme", line("Labor", "1"), "1"))
    clock.advance(86400)
    qb(invoice_add("Acme", line("Labor", "2"), "2"))
    ret = qb(payment_add("Acme", "100.00", auto=True))[0][0]
    assert [
        (x.findtext("RefNumber"), x.findtext("Amount")) for x in ret.findall("AppliedToTxnRet")
    ] == [("2", "100.00")]


def test_payment_needs_auto_apply_or_applications(company, world):
    from harness.fake_qbd import RequestProcessorError

    body = (
        "<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Acme</FullName>"
        "</CustomerRef><TotalAmount>1.00</TotalAmount></ReceivePaymentAdd></ReceivePaymentAddRq>"
    )
    with pytest.raises(RequestProcessorError):
        company.process(
            '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
            f'<QBXMLMsgsRq onError="stopOnError">{body}</QBXMLMsgsRq></QBXML>'
        )


def test_payment_to_a_bank_account(qb, world):
    ret = qb(
        payment_add(
            "Acme",
            "5.00",
            auto=False,
            extra="<DepositToAccountRef><FullName>Checking</FullName></DepositToAccountRef>",
        )
    )[0][0]
    assert ret.findtext("DepositToAccountRef/FullName") == "Checking"


def test_applying_a_payment_touches_the_invoice(qb, world, clock):
    inv = qb(invoice_add("Acme", line("Labor", "1")))[0][0]
    clock.advance(30)
    qb(payment_add("Acme", "50.00", [(inv.findtext("TxnID"), "50.00")]))
    after = world.snapshot()["Invoice"][0]
    assert after["EditSequence"] != inv.findtext("EditSequence")
    assert after["TimeModified"] == "2026-01-05T09:00:30-05:00"


def test_invoice_query_filters(qb, world, clock):
    first = qb(invoice_add("Acme:Site", line("Labor", "1"), "S-1"))[0][0]
    clock.advance(3600)
    qb(invoice_add("Other", line("Labor", "1"), "O-1"))
    qb(payment_add("Acme:Site", "50.00", [(first.findtext("TxnID"), "50.00")]))
    by_entity = qb(
        "<InvoiceQueryRq><EntityFilter><FullNameWithChildren>acme</FullNameWithChildren>"
        "</EntityFilter></InvoiceQueryRq>"
    )[0]
    assert [r.findtext("RefNumber") for r in by_entity] == ["S-1"]
    assert by_entity[0].find("InvoiceLineRet") is None  # IncludeLineItems defaults to false
    unpaid = qb(
        "<InvoiceQueryRq><PaidStatus>NotPaidOnly</PaidStatus>"
        "<IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>"
    )[0]
    assert [r.findtext("RefNumber") for r in unpaid] == ["O-1"]
    assert unpaid[0].find("InvoiceLineRet") is not None
    by_ref = qb("<InvoiceQueryRq><RefNumber>s-1</RefNumber></InvoiceQueryRq>")[0]
    assert by_ref[0].findtext("TxnID") == first.findtext("TxnID")
    modified = qb(
        "<InvoiceQueryRq><ModifiedDateRangeFilter><FromModifiedDate>2026-01-05T10:00:00"
        "</FromModifiedDate></ModifiedDateRangeFilter></InvoiceQueryRq>"
    )[0]
    # The payment touched S-1 at 10:00, so both invoices changed since then.
    assert sorted(r.findtext("RefNumber") for r in modified) == ["O-1", "S-1"]
    none = qb(
        "<InvoiceQueryRq><RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion>"
        "<RefNumber>Z</RefNumber></RefNumberFilter></InvoiceQueryRq>"
    )[0]
    assert none.get("statusCode") == "1"


def test_invoice_mod_replaces_lines_and_checks_edit_sequence(qb, world):
    ret = qb(invoice_add("Acme", line("Labor", "1") + line("Filter", "2")))[0][0]
    txn, seq = ret.findtext("TxnID"), ret.findtext("EditSequence")
    keep = ret.findall("InvoiceLineRet")[0].findtext("TxnLineID")
    body = (
        f"<InvoiceModRq><InvoiceMod><TxnID>{txn}</TxnID><EditSequence>{seq}</EditSequence>"
        f"<Memo>changed</Memo><InvoiceLineMod><TxnLineID>{keep}</TxnLineID><Quantity>3</Quantity>"
        "</InvoiceLineMod><InvoiceLineMod><TxnLineID>-1</TxnLineID><ItemRef><FullName>Filter"
        "</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineMod></InvoiceMod></InvoiceModRq>"
    )
    modded = qb(body)[0][0]
    assert [r.findtext("Amount") for r in modded.findall("InvoiceLineRet")] == ["150.00", "12.50"]
    assert modded.findtext("Memo") == "changed"
    assert world.snapshot()["ItemInventory"][0]["QuantityOnHand"] == "9"
    before = world.snapshot()
    stale = qb(body)[0]
    assert stale.get("statusCode") == "3200"
    assert world.snapshot() == before


def test_txn_del_and_void(qb, world):
    inv = qb(invoice_add("Acme", line("Filter", "4"), "V1"))[0][0].findtext("TxnID")
    pay = qb(payment_add("Acme", "50.00", [(inv, "50.00")]))[0][0].findtext("TxnID")
    void = qb(f"<TxnVoidRq><TxnVoidType>Invoice</TxnVoidType><TxnID>{inv}</TxnID></TxnVoidRq>")[0]
    assert void.findtext("TxnID") == inv
    snap = world.snapshot()
    assert snap["Invoice"][0]["Subtotal"] == "0.00"
    assert snap["Invoice"][0]["Memo"].startswith("VOID:")
    assert snap["ItemInventory"][0]["QuantityOnHand"] == "10"
    assert snap["ReceivePayment"][0]["UnusedPayment"] == "50.00"
    deleted = qb(
        f"<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType><TxnID>{pay}</TxnID></TxnDelRq>"
    )[0]
    assert deleted.findtext("TxnDelType") == "ReceivePayment"
    assert deleted.findtext("TimeDeleted") == "2026-01-05T09:00:00-05:00"
    snap = world.snapshot()
    assert snap["ReceivePayment"] == []
    assert snap["TxnDeleted"][0]["TxnID"] == pay
    missing = qb(
        f"<TxnDelRq><TxnDelType>ReceivePayment</TxnDelType><TxnID>{pay}</TxnID></TxnDelRq>"
    )[0]
    assert missing.get("statusCode") == "3120"


def test_operator_void_payment_restores_invoice_balances(world):
    op = world.operator
    op.create_invoice("Acme", [{"item": "Labor", "quantity": 2}], ref_number="100")
    paid = op.receive_payment(
        "Acme",
        "100.00",
        method="Check",
        applied_to=[{"invoice": "100", "amount": "100.00"}],
        ref_number="P1",
    )
    assert paid["AppliedToTxn"][0]["Amount"] == "100.00"
    assert world.snapshot()["Invoice"][0]["IsPaid"] == "true"
    voided = op.void_payment(ref_number="P1")
    assert (voided["TotalAmount"], voided["AppliedToTxn"], voided["Memo"]) == ("0.00", [], "VOID:")
    invoice = world.snapshot()["Invoice"][0]
    assert (invoice["BalanceRemaining"], invoice["IsPaid"]) == ("100.00", "false")


def test_operator_edit_and_delete(world):
    op = world.operator
    op.create_invoice("Acme", [{"item": "Labor", "quantity": 1}], ref_number="7")
    op.receive_payment("Acme", "50.00", applied_to=[{"invoice": "7"}], ref_number="P7")
    edited = op.edit_payment(
        ref_number="P7", amount="60.00", applied_to=[{"invoice": "7", "amount": "40.00"}]
    )
    assert (edited["UnusedPayment"], edited["AppliedToTxn"][0]["Amount"]) == ("20.00", "40.00")
    op.delete_transaction("Invoice", ref_number="7")
    snap = world.snapshot()
    assert snap["Invoice"] == []
    assert snap["ReceivePayment"][0]["UnusedPayment"] == "60.00"
    with pytest.raises(QBStatusError):
        op.delete_transaction("Invoice", ref_number="7")


def test_snapshot_is_stable_and_json_able(world):
    import json

    world.operator.create_invoice("Acme", [{"item": "Filter", "quantity": 1}])
    first = json.dumps(world.snapshot(), sort_keys=True)
    assert json.dumps(world.snapshot(), sort_keys=True) == first
    invoice = world.snapshot()["Invoice"][0]
    assert invoice["InvoiceLine"][0]["ItemRef"]["FullName"] == "Filter"
    assert invoice["Subtotal"] == "12.50"


def test_sales_tax_applies_to_taxable_lines(qb, world):
    world.operator.add_sales_tax_item("State Tax", "8.25")
    body = (
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<ItemSalesTaxRef><FullName>State Tax</FullName></ItemSalesTaxRef>"
        + line("Labor", "1")
        + line("Filter", "2")
        + "</InvoiceAdd></InvoiceAddRq>"
    )
    ret = qb(body)[0][0]
    # Labor is non-taxable (50.00); the filters are taxable (25.00 at 8.25% = 2.06).
    assert ret.findtext("Subtotal") == "75.00"
    assert ret.findtext("SalesTaxPercentage") == "8.25"
    assert ret.findtext("SalesTaxTotal") == "2.06"
    assert ret.findtext("BalanceRemaining") == "77.06"


def test_a_non_taxable_customer_pays_no_tax(qb, world):
    world.operator.add_sales_tax_item("State Tax", "10")
    world.operator.add_customer(
        "Church",
        ItemSalesTaxRef={"FullName": "State Tax"},
        SalesTaxCodeRef={"FullName": "Non"},
    )
    ret = qb(invoice_add("Church", line("Filter", "2")))[0][0]
    assert ret.findtext("ItemSalesTaxRef/FullName") == "State Tax"
    assert ret.findtext("SalesTaxTotal") == "0.00"
    assert ret.findtext("BalanceRemaining") == "25.00"


def test_include_linked_txns_lists_the_payments(qb, world):
    inv = qb(invoice_add("Acme", line("Labor", "2"), "L1"))[0][0].findtext("TxnID")
    pay = qb(payment_add("Acme", "30.00", [(inv, "30.00")]))[0][0].findtext("TxnID")
    plain = qb("<InvoiceQueryRq><RefNumber>L1</RefNumber></InvoiceQueryRq>")[0][0]
    assert plain.find("LinkedTxn") is None
    ret = qb(
        "<InvoiceQueryRq><RefNumber>L1</RefNumber><IncludeLinkedTxns>true</IncludeLinkedTxns>"
        "</InvoiceQueryRq>"
    )[0][0]
    link = ret.find("LinkedTxn")
    assert (link.findtext("TxnID"), link.findtext("TxnType")) == (pay, "ReceivePayment")
    assert link.findtext("Amount") == "-30.00"


def test_item_query_returns_every_item_type(qb, world):
    rs = qb("<ItemQueryRq/>")[0]
    assert [(r.tag, r.findtext("FullName")) for r in rs] == [
        ("ItemInventoryRet", "Filter"),
        ("ItemServiceRet", "Labor"),
    ]
