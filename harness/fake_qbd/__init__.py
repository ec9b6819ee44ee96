"""The fake QuickBooks Desktop company: qbXML 13.0 in, qbXML out (see docs/fake_qbd.md)."""

from harness.fake_qbd._schema_tables import REQUEST_TYPES
from harness.fake_qbd.company import QBDCompany
from harness.fake_qbd.errors import NotModeledError, QBStatusError, RequestProcessorError
from harness.fake_qbd.operator import Operator
from harness.fake_qbd.settings import CompanySettings

__all__ = [
    "REQUEST_TYPES",
    "CompanySettings",
    "NotModeledError",
    "Operator",
    "QBDCompany",
    "QBStatusError",
    "RequestProcessorError",
]
