"""Wire facts and safe XML parsing that the harness and the reference connector both stand on.

A leaf: it imports lxml and nothing of the project, so that the judge (the harness) and the
judged (the connector) share facts of the protocol without either importing the other.
"""

from qbwc_wire.namespaces import QBWC_NAMESPACE, SOAP11_ENV_NS
from qbwc_wire.tickets import ticket_ref
from qbwc_wire.xml import UnsafeXmlError, XMLSyntaxError, parse_xml, safe_parser

__all__ = [
    "QBWC_NAMESPACE",
    "SOAP11_ENV_NS",
    "UnsafeXmlError",
    "XMLSyntaxError",
    "parse_xml",
    "safe_parser",
    "ticket_ref",
]
