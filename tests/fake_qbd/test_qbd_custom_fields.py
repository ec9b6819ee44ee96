"""Data extensions (custom fields and private data) on customers, items and invoices
(harness/fake_qbd/custom_fields.py): every response validated against qbXML 13.0."""

from __future__ import annotations

import pytest

from harness.fake_qbd import NotModeledError, RequestProcessorError

ENVELOPE = (
    '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
    '<QBXMLMsgsRq onError="stopOnError">{}</QBXMLMsgsRq></QBXML>'
)
PRIVATE = "{6B063959-81B0-4622-85D6-F548C8CCB517}"


def define(
    name: str, objects: tuple[str, ...] = ("Customer",), owner: str = "0", kind="STR255TYPE"
):
    assign = "".join(f"<AssignToObject>{o}</AssignToObject>" for o in objects)
    return (
        f"<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner}</OwnerID><DataExtName>{name}"
        f"</DataExtName><DataExtType>{kind}</DataExtType>{assign}</DataExtDefAdd>"
        "</DataExtDefAddRq>"
    )


def on_customer(op: str, name: str, value: str | None, customer="Acme", owner="0") -> str:
    value_xml = "" if value is None else f"<DataExtValue>{value}</DataExtValue>"
    return (
        f"<DataExt{op}Rq><DataExt{op}><OwnerID>{owner}</OwnerID><DataExtName>{name}"
        "</DataExtName><ListDataExtType>Customer</ListDataExtType><ListObjRef><FullName>"
        f"{customer}</FullName></ListObjRef>{value_xml}</DataExt{op}></DataExt{op}Rq>"
    )


@pytest.fixture
def acme(company):
    company.operator.add_customer("Acme")
    return company


def customer_ret(qb, owners: str = "<OwnerID>0</OwnerID>"):
    return qb(f"<CustomerQueryRq><FullName>Acme</FullName>{owners}</CustomerQueryRq>")[0][0]


def test_a_custom_field_shows_in_queries_that_ask_for_owner_zero(qb, acme):
    assert qb(define("Region"))[0][0].findtext("DataExtID") == "1"
    before = customer_ret(qb).findtext("EditSequence")
    rs = qb(on_customer("Add", "region", "West"))[0]
    assert rs.get("statusCode") == "0"
    # The DataExtAddRs echoes the name as sent; queries show the definition's.
    assert [c.text for c in rs[0]] == ["0", "region", "STR255TYPE", "West"]
    ret = customer_ret(qb)
    assert ret.findtext("DataExtRet/DataExtName") == "Region"
    assert ret.findtext("DataExtRet/DataExtValue") == "West"
    assert ret.findtext("EditSequence") != before  # the customer was modified
    assert customer_ret(qb, owners="").find("DataExtRet") is None
    assert acme.snapshot()["Customer"][0]["DataExt"] == [
        {
            "OwnerID": "0",
            "DataExtName": "Region",
            "DataExtType": "STR255TYPE",
            "DataExtValue": "West",
        }
    ]


def test_custom_fields_come_sorted_by_name_and_private_data_only_to_its_owner(qb, acme):
    qb(define("Zone") + define("Account Manager") + define("SyncId", owner=PRIVATE.lower()))
    qb(
        on_customer("Add", "Zone", "3")
        + on_customer("Add", "Account Manager", "Dana")
        + on_customer("Add", "SyncId", "app-17", owner=PRIVATE)
    )
    public = customer_ret(qb)
    assert [r.findtext("DataExtName") for r in public.findall("DataExtRet")] == [
        "Account Manager",
        "Zone",
    ]
    private = customer_ret(qb, owners=f"<OwnerID>{PRIVATE.lower()}</OwnerID>")
    assert [
        (r.findtext("OwnerID"), r.findtext("DataExtValue")) for r in private.findall("DataExtRet")
    ] == [(PRIVATE, "app-17")]


def test_an_invoice_and_an_item_take_custom_fields(qb, acme):
    acme.operator.add_item("service", "Labor", price="10.00")
    qb(define("SalesforceId", ("Invoice", "Item")))
    invoice = qb(
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef></InvoiceLineAdd>"
        "</InvoiceAdd></InvoiceAddRq>"
    )[0][0]
    txn_id = invoice.findtext("TxnID")
    rs = qb(
        "<DataExtAddRq><DataExtAdd><OwnerID>0</OwnerID><DataExtName>SalesforceId</DataExtName>"
        f"<TxnDataExtType>Invoice</TxnDataExtType><TxnID>{txn_id}</TxnID>"
        "<DataExtValue>a06f4000</DataExtValue></DataExtAdd></DataExtAddRq>"
        "<DataExtAddRq><DataExtAdd><OwnerID>0</OwnerID><DataExtName>SalesforceId</DataExtName>"
        "<ListDataExtType>Item</ListDataExtType><ListObjRef><FullName>Labor</FullName>"
        "</ListObjRef><DataExtValue>i-9</DataExtValue></DataExtAdd></DataExtAddRq>"
    )
    assert [r.get("statusCode") for r in rs] == ["0", "0"]
    found = qb(f"<InvoiceQueryRq><TxnID>{txn_id}</TxnID><OwnerID>0</OwnerID></InvoiceQueryRq>")
    assert found[0][0].findtext("DataExtRet/DataExtValue") == "a06f4000"
    item = qb("<ItemQueryRq><FullName>Labor</FullName><OwnerID>0</OwnerID></ItemQueryRq>")[0][0]
    assert item.findtext("DataExtRet/DataExtValue") == "i-9"
    deleted = qb(
        "<DataExtDelRq><DataExtDel><OwnerID>0</OwnerID><DataExtName>SalesforceId</DataExtName>"
        f"<TxnDataExtType>Invoice</TxnDataExtType><TxnID>{txn_id}</TxnID></DataExtDel>"
        "</DataExtDelRq>"
    )[0][0]
    assert deleted.findtext("TxnID") == txn_id


@pytest.mark.parametrize(
    ("request_xml", "code", "message"),
    [
        # No definition of that name, or not for customers, or for another owner.
        (
            on_customer("Add", "Tier", "Gold"),
            "3120",
            'Object "Tier" specified in the request cannot be found.',
        ),
        (on_customer("Add", "Region", "West", owner=PRIVATE), "3120", None),
        (on_customer("Add", "Region", "West", customer="Ghost"), "3140", None),
        (
            on_customer("Add", "Region", "W" * 256),
            "3070",
            f'The string "{"W" * 256}" in the field "DataExtValue" is too long.',
        ),
        (on_customer("Mod", "Region", "East"), "3120", None),
        (on_customer("Del", "Region", None), "3120", None),
    ],
)
def test_what_a_data_extension_request_is_refused_for(qb, acme, request_xml, code, message):
    qb(define("Region") + define("Tier", ("Vendor",)))
    before = acme.snapshot()["Customer"]
    rs = qb(request_xml)[0]
    assert rs.get("statusCode") == code
    assert rs.get("statusSeverity") == "Error"
    if message:
        assert rs.get("statusMessage") == message
    assert len(rs) == 0
    assert acme.snapshot()["Customer"] == before


def test_a_longer_string_type_takes_up_to_1024_characters(qb, acme):
    qb(define("Notes", owner=PRIVATE, kind="STR1024TYPE"))
    ok = qb(on_customer("Add", "Notes", "n" * 1024, owner=PRIVATE))[0]
    assert ok.get("statusCode") == "0"
    assert qb(on_customer("Mod", "Notes", "n" * 1025, owner=PRIVATE))[0].get("statusCode") == "3070"


def test_add_twice_is_refused_mod_changes_and_del_clears(qb, acme):
    qb(define("Region") + on_customer("Add", "Region", "West"))
    again = qb(on_customer("Add", "Region", "North"))[0]
    assert again.get("statusCode") == "3200"
    assert qb(on_customer("Mod", "Region", ""))[0].get("statusCode") == "3210"
    assert qb(on_customer("Mod", "Region", "East"))[0][0].findtext("DataExtValue") == "East"
    assert customer_ret(qb).findtext("DataExtRet/DataExtValue") == "East"
    deleted = qb(on_customer("Del", "Region", None))[0][0]
    assert deleted.findtext("ListObjRef/FullName") == "Acme"
    assert deleted.findtext("TimeDeleted")
    assert customer_ret(qb).find("DataExtRet") is None


@pytest.mark.parametrize(
    ("request_xml", "code"),
    [
        (define("Region"), "3100"),  # one name per owner, not case-sensitive: "region" exists
        (define("Score", kind="INTTYPE"), "3210"),  # a custom field is STR255TYPE
    ],
)
def test_a_definition_is_refused(qb, request_xml, code):
    qb(define("region"))
    assert qb(request_xml)[0].get("statusCode") == code
    assert len(qb("<DataExtDefQueryRq/>")[0]) == 1


def test_definitions_are_queried_by_owner_or_object(qb):
    qb(define("Region") + define("SyncId", ("Invoice",), owner=PRIVATE))
    by_owner = qb(f"<DataExtDefQueryRq><OwnerID>{PRIVATE}</OwnerID></DataExtDefQueryRq>")[0]
    assert [r.findtext("DataExtName") for r in by_owner] == ["SyncId"]
    by_object = qb(
        "<DataExtDefQueryRq><AssignToObject>Customer</AssignToObject></DataExtDefQueryRq>"
    )
    assert [r.findtext("DataExtName") for r in by_object[0]] == ["Region"]
    none = qb("<DataExtDefQueryRq><AssignToObject>Bill</AssignToObject></DataExtDefQueryRq>")[0]
    assert none.get("statusCode") == "1"
    counted = qb('<DataExtDefQueryRq metaData="MetaDataOnly"/>')[0]
    assert (counted.get("retCount"), len(counted)) == ("2", 0)


@pytest.mark.parametrize(
    "body",
    [
        # ListDataExtType without its ListObjRef; both a list object and a transaction;
        # an OwnerID that is neither 0 nor a GUID.
        "<DataExtAdd><OwnerID>0</OwnerID><DataExtName>R</DataExtName>"
        "<ListDataExtType>Customer</ListDataExtType><DataExtValue>x</DataExtValue></DataExtAdd>",
        "<DataExtAdd><OwnerID>0</OwnerID><DataExtName>R</DataExtName>"
        "<ListDataExtType>Customer</ListDataExtType><ListObjRef><FullName>Acme</FullName>"
        "</ListObjRef><TxnDataExtType>Invoice</TxnDataExtType><TxnID>1-1</TxnID>"
        "<DataExtValue>x</DataExtValue></DataExtAdd>",
        "<DataExtAdd><OwnerID>app</OwnerID><DataExtName>R</DataExtName>"
        "<ListDataExtType>Customer</ListDataExtType><ListObjRef><FullName>Acme</FullName>"
        "</ListObjRef><DataExtValue>x</DataExtValue></DataExtAdd>",
    ],
)
def test_a_malformed_data_ext_add_is_a_parse_error(company, body):
    with pytest.raises(RequestProcessorError) as caught:
        company.process(ENVELOPE.format(f"<DataExtAddRq>{body}</DataExtAddRq>"))
    assert caught.value.hresult == 0x80040400


def test_a_transaction_line_is_not_modeled(company, acme):
    company.process(ENVELOPE.format(define("Color", ("Invoice",))))
    with pytest.raises(NotModeledError):
        company.process(
            ENVELOPE.format(
                "<DataExtAddRq><DataExtAdd><OwnerID>0</OwnerID><DataExtName>Color</DataExtName>"
                "<TxnDataExtType>Invoice</TxnDataExtType><TxnID>1-1</TxnID><TxnLineID>2-1"
                "</TxnLineID><DataExtValue>red</DataExtValue></DataExtAdd></DataExtAddRq>"
            )
        )


def test_a_person_defines_and_types_a_custom_field(qb, acme, clock):
    acme.operator.define_custom_field("Region", ["customer", "item"])
    before = customer_ret(qb)
    clock.advance(60)
    shown = acme.operator.set_custom_field("customer", "Acme", "region", "West")
    assert shown["DataExt"][0]["DataExtValue"] == "West"
    after = customer_ret(qb)
    assert after.findtext("DataExtRet/DataExtValue") == "West"
    assert after.findtext("TimeModified") != before.findtext("TimeModified")
    acme.operator.set_custom_field("customer", "Acme", "Region", "East")
    assert customer_ret(qb).findtext("DataExtRet/DataExtValue") == "East"
    acme.operator.set_custom_field("customer", "Acme", "Region", "")
    assert customer_ret(qb).find("DataExtRet") is None
    with pytest.raises(ValueError):
        acme.operator.set_custom_field("account", "Checking", "Region", "x")
    acme.operator.add_employee("Dana", "Reyes")
    acme.operator.define_custom_field("Badge", ["employee"])
    acme.operator.set_custom_field("employee", "Dana Reyes", "Badge", "B-7")
    employee = qb("<EmployeeQueryRq><OwnerID>0</OwnerID></EmployeeQueryRq>")[0][0]
    assert employee.findtext("DataExtRet/DataExtValue") == "B-7"


def test_an_application_keeps_private_settings_on_the_company(qb, company):
    def on_company(op: str, value: str | None) -> str:
        value_xml = "" if value is None else f"<DataExtValue>{value}</DataExtValue>"
        return (
            f"<DataExt{op}Rq><DataExt{op}><OwnerID>{PRIVATE}</OwnerID><DataExtName>LastSync"
            f"</DataExtName><OtherDataExtType>Company</OtherDataExtType>{value_xml}"
            f"</DataExt{op}></DataExt{op}Rq>"
        )

    qb(define("LastSync", ("Company",), owner=PRIVATE, kind="STR1024TYPE"))
    assert qb(on_company("Add", "2026-01-05"))[0].get("statusCode") == "0"
    asked = qb(f"<CompanyQueryRq><OwnerID>{PRIVATE}</OwnerID></CompanyQueryRq>")[0][0]
    assert asked.findtext("DataExtRet/DataExtValue") == "2026-01-05"
    assert qb("<CompanyQueryRq/>")[0][0].find("DataExtRet") is None
    deleted = qb(on_company("Del", None))[0][0]
    assert deleted.findtext("OtherDataExtType") == "Company"
    again = qb(f"<CompanyQueryRq><OwnerID>{PRIVATE}</OwnerID></CompanyQueryRq>")[0][0]
    assert again.find("DataExtRet") is None
