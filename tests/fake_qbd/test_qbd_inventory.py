from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.clock import SimClock
from harness.fake_qbd import CompanySettings, QBDCompany

ENVELOPE = (
    '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>'
    '<QBXMLMsgsRq onError="stopOnError">{}</QBXMLMsgsRq></QBXML>'
)


@pytest.fixture
def sites(clock):
    company = QBDCompany(CompanySettings(multi_location_inventory=True), clock)
    company.operator.add_item("inventory", "Filter", price="12.50", quantity_on_hand=10)
    company.operator.add_customer("Acme")
    return company


@pytest.fixture
def send(validate):
    def run(company: QBDCompany, body: str):
        return validate(company.process(ENVELOPE.format(body)))[0]

    return run


def site_add(name: str) -> str:
    return f"<InventorySiteAddRq><InventorySiteAdd><Name>{name}</Name></InventorySiteAdd></InventorySiteAddRq>"


def adjust(item: str, how: str, site: str | None = None) -> str:
    site_xml = f"<InventorySiteRef><FullName>{site}</FullName></InventorySiteRef>" if site else ""
    return (
        "<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold"
        f"</FullName></AccountRef>{site_xml}<InventoryAdjustmentLineAdd><ItemRef><FullName>{item}"
        f"</FullName></ItemRef><QuantityAdjustment>{how}</QuantityAdjustment>"
        "</InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>"
    )


def on_hand(company: QBDCompany) -> str:
    return company.snapshot()["ItemInventory"][0]["QuantityOnHand"]


def test_adjustment_new_quantity_reports_the_difference(qb, company):
    company.operator.add_item("inventory", "Filter", quantity_on_hand=10)
    line = qb(adjust("Filter", "<NewQuantity>4</NewQuantity>"))[0][0].find(
        "InventoryAdjustmentLineRet"
    )
    assert line.findtext("QuantityDifference") == "-6"
    assert line.find("NewQuantity") is None
    qb(adjust("Filter", "<QuantityDifference>2.5</QuantityDifference>"))
    assert on_hand(company) == "6.5"


def test_negative_stock_is_allowed_by_default_and_refusable(qb, company, clock):
    company.operator.add_customer("Acme")
    company.operator.add_item("inventory", "Filter", quantity_on_hand=1)
    company.operator.create_invoice("Acme", [{"item": "Filter", "quantity": 3}])
    assert on_hand(company) == "-2"
    strict = QBDCompany(CompanySettings(allow_negative_inventory=False), clock)
    strict.operator.add_customer("Acme")
    strict.operator.add_item("inventory", "Filter", quantity_on_hand=1)
    from harness.fake_qbd import QBStatusError

    with pytest.raises(QBStatusError) as caught:
        strict.operator.create_invoice("Acme", [{"item": "Filter", "quantity": 3}])
    assert caught.value.code == 3210
    assert strict.snapshot()["Invoice"] == []


def test_sites_need_advanced_inventory(qb):
    rs = qb(site_add("North"))[0]
    assert rs.get("statusCode") == "3250"
    assert qb("<ItemSitesQueryRq/>")[0].get("statusCode") == "3250"


def test_per_site_adjustment_and_transfer_keep_the_total(sites, send):
    send(sites, site_add("North") + site_add("Van 1"))
    send(sites, adjust("Filter", "<NewQuantity>5</NewQuantity>", "North"))
    assert on_hand(sites) == "15"
    transfer = (
        "<TransferInventoryAddRq><TransferInventoryAdd><FromInventorySiteRef><FullName>North"
        "</FullName></FromInventorySiteRef><ToInventorySiteRef><FullName>Van 1</FullName>"
        "</ToInventorySiteRef><TransferInventoryLineAdd><ItemRef><FullName>Filter</FullName>"
        "</ItemRef><QuantityToTransfer>2</QuantityToTransfer></TransferInventoryLineAdd>"
        "</TransferInventoryAdd></TransferInventoryAddRq>"
    )
    line = send(sites, transfer)[0][0].find("TransferInventoryLineRet")
    assert line.findtext("QuantityTransferred") == "2"
    assert on_hand(sites) == "15"
    rows = send(sites, "<ItemSitesQueryRq/>")[0]
    by_site = {r.findtext("InventorySiteRef/FullName"): r.findtext("QuantityOnHand") for r in rows}
    assert by_site == {"Main Warehouse": "10", "North": "3", "Van 1": "2"}


def test_invoice_line_at_a_site(sites, send):
    send(sites, site_add("Van 1"))
    sites.process(
        ENVELOPE.format(adjust("Filter", "<QuantityDifference>4</QuantityDifference>", "Van 1"))
    )
    body = (
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<InvoiceLineAdd><ItemRef><FullName>Filter</FullName></ItemRef><Quantity>3</Quantity>"
        "<InventorySiteRef><FullName>Van 1</FullName></InventorySiteRef></InvoiceLineAdd>"
        "</InvoiceAdd></InvoiceAddRq>"
    )
    send(sites, body)
    rows = send(sites, "<ItemSitesQueryRq/>")[0]
    by_site = {r.findtext("InventorySiteRef/FullName"): r.findtext("QuantityOnHand") for r in rows}
    assert by_site == {"Main Warehouse": "10", "Van 1": "1"}


def test_purchase_order_then_item_receipt(qb, company):
    company.operator.add_item("inventory", "Filter", quantity_on_hand=1)
    qb("<VendorAddRq><VendorAdd><Name>Supplier</Name></VendorAdd></VendorAddRq>")
    order = qb(
        "<PurchaseOrderAddRq><PurchaseOrderAdd><VendorRef><FullName>Supplier</FullName></VendorRef>"
        "<PurchaseOrderLineAdd><ItemRef><FullName>Filter</FullName></ItemRef><Quantity>6</Quantity>"
        "<Rate>4.00</Rate></PurchaseOrderLineAdd></PurchaseOrderAdd></PurchaseOrderAddRq>"
    )[0][0]
    assert order.findtext("TotalAmount") == "24.00"
    item = company.snapshot()["ItemInventory"][0]
    assert (item["QuantityOnHand"], item["QuantityOnOrder"]) == ("1", "6")
    receipt = qb(
        "<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Supplier</FullName></VendorRef>"
        f"<LinkToTxnID>{order.findtext('TxnID')}</LinkToTxnID><ItemLineAdd><ItemRef><FullName>Filter"
        "</FullName></ItemRef><Quantity>4</Quantity><Cost>4.00</Cost></ItemLineAdd>"
        "</ItemReceiptAdd></ItemReceiptAddRq>"
    )[0][0]
    assert receipt.findtext("TotalAmount") == "16.00"
    item = company.snapshot()["ItemInventory"][0]
    assert (item["QuantityOnHand"], item["QuantityOnOrder"]) == ("5", "2")
    po = company.snapshot()["PurchaseOrder"][0]
    assert po["IsFullyReceived"] == "false"
    assert po["PurchaseOrderLine"][0]["ReceivedQuantity"] == "4"


def test_voided_adjustment_moves_nothing(qb, company):
    company.operator.add_item("inventory", "Filter", quantity_on_hand=1)
    txn = qb(adjust("Filter", "<QuantityDifference>5</QuantityDifference>"))[0][0].findtext("TxnID")
    qb(f"<TxnVoidRq><TxnVoidType>InventoryAdjustment</TxnVoidType><TxnID>{txn}</TxnID></TxnVoidRq>")
    assert on_hand(company) == "1"


@settings(max_examples=30, deadline=None)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(["adjust", "transfer", "sell"]),
            st.sampled_from(["Main Warehouse", "North", "Van"]),
            st.sampled_from(["Main Warehouse", "North", "Van"]),
            st.integers(min_value=0, max_value=20),
        ),
        max_size=8,
    )
)
def test_on_hand_is_the_sum_of_movements_per_site_and_in_total(moves):
    company = QBDCompany(CompanySettings(multi_location_inventory=True), SimClock())
    op = company.operator
    op.add_customer("Acme")
    op.add_item("inventory", "Part", quantity_on_hand=7)
    for name in ("North", "Van"):
        company.process(ENVELOPE.format(site_add(name)))
    expected = {"Main Warehouse": Decimal(7), "North": Decimal(0), "Van": Decimal(0)}
    for kind, site, other, quantity in moves:
        if kind == "adjust":
            company.process(
                ENVELOPE.format(adjust("Part", f"<NewQuantity>{quantity}</NewQuantity>", site))
            )
            expected[site] = Decimal(quantity)
        elif kind == "transfer":
            company.process(
                ENVELOPE.format(
                    "<TransferInventoryAddRq><TransferInventoryAdd><FromInventorySiteRef><FullName>"
                    f"{site}</FullName></FromInventorySiteRef><ToInventorySiteRef><FullName>{other}"
                    "</FullName></ToInventorySiteRef><TransferInventoryLineAdd><ItemRef><FullName>Part"
                    f"</FullName></ItemRef><QuantityToTransfer>{quantity}</QuantityToTransfer>"
                    "</TransferInventoryLineAdd></TransferInventoryAdd></TransferInventoryAddRq>"
                )
            )
            expected[site] -= quantity
            expected[other] += quantity
        else:
            company.process(
                ENVELOPE.format(
                    "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
                    "<InvoiceLineAdd><ItemRef><FullName>Part</FullName></ItemRef>"
                    f"<Quantity>{quantity}</Quantity><InventorySiteRef><FullName>{site}</FullName>"
                    "</InventorySiteRef></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"
                )
            )
            expected[site] -= quantity
    item = company.records["ItemInventory"][next(iter(company.records["ItemInventory"]))]
    sites = {s.name: s.id for s in company.records["InventorySite"].values()}
    for name, quantity in expected.items():
        assert company.quantity_on_hand(item, sites[name]) == quantity
    assert Decimal(company.snapshot()["ItemInventory"][0]["QuantityOnHand"]) == sum(
        expected.values()
    )


def test_entity_filter_on_transactions_without_a_customer(qb, company):
    company.operator.add_item("inventory", "Filter", quantity_on_hand=1)
    qb(adjust("Filter", "<QuantityDifference>1</QuantityDifference>"))
    rs = qb(
        "<InventoryAdjustmentQueryRq><EntityFilter><FullName>Acme</FullName></EntityFilter>"
        "</InventoryAdjustmentQueryRq>"
    )[0]
    assert rs.get("statusCode") == "1"
    every = qb("<InventoryAdjustmentQueryRq/>")[0]
    assert every[0].find("InventoryAdjustmentLineRet") is not None


def purchase_order(quantity: str, site: str | None = None) -> str:
    site_xml = f"<InventorySiteRef><FullName>{site}</FullName></InventorySiteRef>" if site else ""
    return (
        "<PurchaseOrderAddRq><PurchaseOrderAdd><VendorRef><FullName>Supplier</FullName></VendorRef>"
        f"{site_xml}<PurchaseOrderLineAdd><ItemRef><FullName>Filter</FullName></ItemRef>"
        f"<Quantity>{quantity}</Quantity><Rate>4.00</Rate></PurchaseOrderLineAdd>"
        "</PurchaseOrderAdd></PurchaseOrderAddRq>"
    )


def sales_order(quantity: str, site: str | None = None) -> str:
    site_xml = f"<InventorySiteRef><FullName>{site}</FullName></InventorySiteRef>" if site else ""
    return (
        "<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<SalesOrderLineAdd><ItemRef><FullName>Filter</FullName></ItemRef>"
        f"<Quantity>{quantity}</Quantity>{site_xml}</SalesOrderLineAdd></SalesOrderAdd>"
        "</SalesOrderAddRq>"
    )


def test_item_sites_count_open_orders_at_their_site(sites, send):
    """ItemSitesRet's QuantityOnPurchaseOrders / QuantityOnSalesOrders: the open orders at
    that site (a purchase order's site is its header's, a sales order's its line's; none:
    the default site), less what was received; the per-site numbers add up to the item's."""
    send(sites, site_add("Van 1"))
    send(sites, "<VendorAddRq><VendorAdd><Name>Supplier</Name></VendorAdd></VendorAddRq>")
    order = send(sites, purchase_order("6", "Van 1"))[0][0]
    send(sites, purchase_order("2"))
    send(sites, sales_order("3", "Van 1") + sales_order("1"))
    send(
        sites,
        "<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Supplier</FullName></VendorRef>"
        f"<LinkToTxnID>{order.findtext('TxnID')}</LinkToTxnID><ItemLineAdd><ItemRef><FullName>"
        "Filter</FullName></ItemRef><InventorySiteRef><FullName>Van 1</FullName></InventorySiteRef>"
        "<Quantity>4</Quantity><Cost>4.00</Cost></ItemLineAdd>"
        "</ItemReceiptAdd></ItemReceiptAddRq>",
    )
    rows = send(sites, "<ItemSitesQueryRq/>")[0]
    by_site = {
        r.findtext("InventorySiteRef/FullName"): (
            r.findtext("QuantityOnPurchaseOrders"),
            r.findtext("QuantityOnSalesOrders"),
        )
        for r in rows
    }
    assert by_site == {"Main Warehouse": ("2", "1"), "Van 1": ("2", "3")}
    counted = send(sites, '<ItemSitesQueryRq metaData="MetaDataOnly"/>')[0]
    assert (counted.get("retCount"), len(counted)) == ("2", 0)
    item = sites.snapshot()["ItemInventory"][0]
    assert (item["QuantityOnOrder"], item["QuantityOnSalesOrder"]) == ("4", "4")
