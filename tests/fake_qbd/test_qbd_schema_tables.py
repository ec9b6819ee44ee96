"""The generated schema tables match Intuit's qbXML 13.0 schema (drift check)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from harness.fake_qbd import _schema_tables
from harness.fake_qbd.schema_tables import generate
from harness.fake_qbd.values import ENUMS


def test_generated_tables_match_the_schema(reference: Path):
    written = Path(_schema_tables.__file__).read_text()
    assert written == generate(reference / "qbxml-xsd"), (
        "harness/fake_qbd/_schema_tables.py is stale: python -m harness.fake_qbd.schema_tables "
        "<reference>/qbxml-xsd > harness/fake_qbd/_schema_tables.py"
    )


def test_tables_hold_the_limits_the_issue_names():
    limits = _schema_tables.MAX_LENGTHS
    assert limits["CustomerAdd"]["Name"] == limits["VendorAdd"]["Name"] == 41
    assert limits["ItemServiceAdd"]["Name"] == limits["AccountAdd"]["Name"] == 31
    assert limits["InvoiceAdd"]["RefNumber"] == 11
    assert limits["AccountAdd"]["AccountNumber"] == 7
    assert limits["BillAddress"]["Addr1"] == 41
    assert {"CustomerAddRq", "BillAddRq", "JournalEntryQueryRq"} <= _schema_tables.REQUEST_TYPES
    assert "CustomerTeleportRq" not in _schema_tables.REQUEST_TYPES


def test_data_extension_objects_are_the_schemas(reference: Path):
    """AssignToObject, derived as the union of the three DataExt types, is the schema's."""
    schema = etree.parse(str(reference / "qbxml-xsd" / "qbxml130.xsd"))
    for name in ("ListDataExtType", "TxnDataExtType", "OtherDataExtType", "AssignToObject"):
        values = schema.xpath(
            f"//xsd:element[@name='{name}']//xsd:enumeration/@value",
            namespaces={"xsd": "http://www.w3.org/2001/XMLSchema"},
        )
        assert ENUMS[name] == frozenset(values), name
