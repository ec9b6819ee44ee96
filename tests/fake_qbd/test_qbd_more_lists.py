"""Classes, employees, and the queries of records the fake never holds (issue 18)."""

from __future__ import annotations

import pytest


def test_class_add_and_query_with_a_sub_class(qb):
    qb("<ClassAddRq><ClassAdd><Name>Service</Name></ClassAdd></ClassAddRq>")
    ret = qb(
        "<ClassAddRq><ClassAdd><Name>North</Name><ParentRef><FullName>Service</FullName>"
        "</ParentRef></ClassAdd></ClassAddRq>"
    )[0][0]
    assert ret.findtext("FullName") == "Service:North"
    assert ret.findtext("Sublevel") == "1"
    names = [r.findtext("FullName") for r in qb("<ClassQueryRq/>")[0]]
    assert names == ["Service", "Service:North"]


def test_a_class_ref_names_a_class_or_is_3140(qb, company):
    company.operator.add_customer("Acme")
    rs = qb(
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<ClassRef><FullName>Service</FullName></ClassRef></InvoiceAdd></InvoiceAddRq>"
    )[0]
    assert rs.get("statusCode") == "3140"
    assert 'QuickBooks Class "Service"' in rs.get("statusMessage")
    qb("<ClassAddRq><ClassAdd><Name>Service</Name></ClassAdd></ClassAddRq>")
    rs = qb(
        "<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>"
        "<ClassRef><FullName>Service</FullName></ClassRef></InvoiceAdd></InvoiceAddRq>"
    )[0]
    assert rs.get("statusCode") == "0"
    assert rs.findtext("InvoiceRet/ClassRef/FullName") == "Service"


def test_employees_are_listed_and_share_the_name_list(qb, company):
    company.operator.add_employee("Dana", "Reyes")
    ret = qb("<EmployeeQueryRq/>")[0][0]
    assert (ret.findtext("Name"), ret.findtext("FirstName")) == ("Dana Reyes", "Dana")
    rs = qb("<CustomerAddRq><CustomerAdd><Name>dana reyes</Name></CustomerAdd></CustomerAddRq>")
    assert rs[0].get("statusCode") == "3100"


@pytest.mark.parametrize(
    "body",
    [
        '<BillQueryRq iterator="Start"><MaxReturned>10</MaxReturned></BillQueryRq>',
        "<CheckQueryRq/>",
    ],
)
def test_queries_of_records_the_file_never_holds_find_nothing(qb, body):
    rs = qb(body)[0]
    assert rs.get("statusCode") == "1"
    assert len(rs) == 0


def test_employee_add_names_the_employee_from_the_parts_and_shares_the_name_list(qb):
    ret = qb(
        "<EmployeeAddRq><EmployeeAdd><FirstName>Dana</FirstName><MiddleName>J</MiddleName>"
        "<LastName>Reyes</LastName><Phone>555-0100</Phone><EmployeePayrollInfo>"
        "<PayPeriod>Weekly</PayPeriod></EmployeePayrollInfo></EmployeeAdd></EmployeeAddRq>"
    )[0][0]
    assert ret.findtext("Name") == "Dana J Reyes"
    assert ret.findtext("Phone") == "555-0100"
    assert ret.find("EmployeePayrollInfo") is None  # accepted, not kept
    found = qb("<EmployeeQueryRq><FullName>dana j reyes</FullName></EmployeeQueryRq>")[0]
    assert found[0].findtext("ListID") == ret.findtext("ListID")
    rs = qb("<VendorAddRq><VendorAdd><Name>Dana J Reyes</Name></VendorAdd></VendorAddRq>")[0]
    assert rs.get("statusCode") == "3100"


def test_employee_add_with_a_name_given_and_without_any_name(qb, company):
    ret = qb("<EmployeeAddRq><EmployeeAdd><Name>Sam</Name></EmployeeAdd></EmployeeAddRq>")[0][0]
    assert ret.findtext("Name") == "Sam"
    rs = qb("<EmployeeAddRq><EmployeeAdd><JobTitle>Tech</JobTitle></EmployeeAdd></EmployeeAddRq>")
    assert rs[0].get("statusSeverity") == "Error"
    assert len(company.snapshot()["Employee"]) == 1


def test_an_employee_first_name_longer_than_25_is_3070(qb):
    first = "F" * 26  # qbxml130 EmployeeAdd FirstName maxLength 25
    rs = qb(
        f"<EmployeeAddRq><EmployeeAdd><FirstName>{first}</FirstName></EmployeeAdd></EmployeeAddRq>"
    )
    assert rs[0].get("statusCode") == "3070"
