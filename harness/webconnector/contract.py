"""The QBWC callback contract, read once from the project's own WSDL with zeep.

Parsing a WSDL costs tens of milliseconds; a scenario suite runs thousands of calls, so the
parsed contract is cached per WSDL path and shared by every WebConnector.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import zeep
from zeep.xsd.types.builtins import Integer

#: Our own rendering of the contract (written from the guide, not copied).
WSDL_PATH = Path(__file__).with_name("qbwc.wsdl")


@dataclass(frozen=True)
class Parameter:
    name: str
    xsd_type: str  # "string" or "int"


@dataclass(frozen=True)
class Operation:
    """One web method: its SOAPAction, ordered parameters and result shape."""

    name: str
    soap_action: str
    parameters: tuple[Parameter, ...]
    result_name: str
    result_type: str  # "string", "int" or "ArrayOfString"


@dataclass(frozen=True)
class Contract:
    operations: dict[str, Operation]

    def __getitem__(self, name: str) -> Operation:
        return self.operations[name]


def _type_name(xsd_type: object) -> str:
    if isinstance(xsd_type, Integer):
        return "int"
    qname = getattr(xsd_type, "qname", None)
    local = getattr(qname, "localname", None) or getattr(xsd_type, "name", "")
    return "ArrayOfString" if local == "ArrayOfString" else "string"


@lru_cache(maxsize=4)
def load_contract(wsdl_path: str = str(WSDL_PATH)) -> Contract:
    """Parse the WSDL with zeep (once per path) into a plain operation table."""
    client = zeep.Client(wsdl_path)
    binding = client.service._binding
    operations: dict[str, Operation] = {}
    for name, op in binding._operations.items():
        params = tuple(
            Parameter(pname, _type_name(element.type))
            for pname, element in op.input.body.type.elements
        )
        result_name, result_element = op.output.body.type.elements[0]
        operations[name] = Operation(
            name=name,
            soap_action=op.soapaction,
            parameters=params,
            result_name=result_name,
            result_type=_type_name(result_element.type),
        )
    return Contract(operations)
