"""Request envelopes in the .NET client's shape, and raw reading of the answers.

The real Web Connector is a .NET ``SoapHttpClientProtocol``: it writes the XML declaration
with ``encoding="utf-8"``, a ``soap:`` envelope declaring ``xsi`` and ``xsd``, and the method
element in the default namespace (QBWC-FACTS.md). Some server frameworks only understand the
``soap:`` prefix, so we render the bytes ourselves instead of sending zeep's ``soap-env:``.

Answers are read from the raw envelope, not through zeep's deserializer: zeep turns "",
``xsi:nil`` and a missing element all into None, and for QBWC those differ (an empty
authenticate member is "use the open company file"; sendRequestXML "" asks for getLastError).
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from harness import xmlsafe
from qbwc_wire import QBWC_NAMESPACE as QBWC_NS
from qbwc_wire import SOAP11_ENV_NS as SOAP_ENV_NS

from .contract import Operation
from .errors import SoapCallError

SOAP12_ENV_NS = "http://www.w3.org/2003/05/soap-envelope"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

_PROLOG = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}" '
    f'xmlns:xsi="{XSI_NS}" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
    "<soap:Body>"
)
_EPILOG = "</soap:Body></soap:Envelope>"

Value = str | int | None


def _escape_text(text: str) -> str:
    # XmlTextWriter escapes these in element content; a bare CR is written as a character
    # reference so that it survives the receiver's line-end normalisation.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xD;")
    )


def render_request(operation: Operation, arguments: Mapping[str, Value]) -> bytes:
    """The request envelope the .NET client sends for ``operation``.

    Arguments are written in WSDL order. None is omitted (the .NET serializer drops a null
    string whose element has minOccurs=0); "" is written as an empty element ``<x />``, never
    dropped. An element without content is written ``<name />`` with a space, as .NET does.
    """
    unknown = set(arguments) - {p.name for p in operation.parameters}
    if unknown:
        raise ValueError(f"{operation.name} has no parameter(s) {sorted(unknown)}")
    parts = [_PROLOG]
    body: list[str] = []
    for param in operation.parameters:
        value = arguments.get(param.name)
        if value is None:
            continue
        text = str(int(value)) if param.xsd_type == "int" else _escape_text(str(value))
        body.append(f"<{param.name}>{text}</{param.name}>" if text else f"<{param.name} />")
    if body:
        parts.append(f'<{operation.name} xmlns="{QBWC_NS}">{"".join(body)}</{operation.name}>')
    else:
        parts.append(f'<{operation.name} xmlns="{QBWC_NS}" />')
    parts.append(_EPILOG)
    return "".join(parts).encode("utf-8")


def _is_nil(element: etree._Element) -> bool:
    return element.get(f"{{{XSI_NS}}}nil", "").strip().lower() in ("true", "1")


#: Recorded on a call whose string or int result came as element content (QBWC-FACTS.md:
#: node-soap services answer ``<sendRequestXMLResult><string>...</string>``).
ELEMENT_CONTENT_NOTE = (
    "{name} carried its value inside a <{child}> child element, not as text; read as the "
    ".NET XmlSerializer reads a string (XmlReader.ReadElementString: the text of that first "
    "child). Real QBWC's reading is inferred from the .NET Framework's ReadElementString "
    "and ReadString code, not from a QBWC capture (confidence: medium; node-soap QBWC "
    "services answer this way and their users' logs show QuickBooks receiving the request)"
)


def _string_value(element: etree._Element | None, notes: list[str] | None = None) -> str | None:
    """A string as the .NET client's XmlSerializer reads it (``ReadElementString``).

    Text content is the value. Element content is what node-soap services send: .NET's
    ReadElementString steps into the first child and returns its text when that child holds
    text only, and throws (the call fails) on mixed content or a child with children. The
    value read is always one the service sent; ``notes`` gets a line saying how it was read.
    """
    if element is None or _is_nil(element):
        return None
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        return element.text or ""
    first = children[0]
    mixed = (element.text or "").strip() or any(isinstance(c.tag, str) for c in first)
    name = etree.QName(element).localname
    child = etree.QName(first).localname
    if mixed:
        raise SoapCallError(
            "malformed",
            f"There is an error in XML document: <{name}> has markup where the string's text "
            f"belongs (<{child}> with children, or text before it); ReadElementString cannot "
            "read it.",
        )
    if notes is not None:
        notes.append(ELEMENT_CONTENT_NOTE.format(name=name, child=child))
    return first.text or ""


def parse_envelope(body: bytes) -> etree._Element:
    """The soap:Body of an answer, or a SoapCallError worded as the .NET client words it."""
    try:
        root = xmlsafe.parse(body, what="the response")
    except xmlsafe.UnsafeXmlError as exc:
        # A DTD or an oversized answer fails the call; what the .NET client does with
        # them is unconfirmed, and the wording is ours.
        raise SoapCallError("malformed", f"Response refused: {exc}.", response=body) from None
    except etree.XMLSyntaxError as exc:
        raise SoapCallError(
            "malformed", f"Response is not well-formed XML. {exc}", response=body
        ) from None
    if root.tag == f"{{{SOAP12_ENV_NS}}}Envelope":
        raise SoapCallError(
            "malformed",
            "Possible SOAP version mismatch: Envelope namespace "
            f"{SOAP12_ENV_NS} was unexpected. Expecting {SOAP_ENV_NS}.",
            response=body,
        )
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        raise SoapCallError(
            "malformed", f"Response is not a SOAP 1.1 envelope (root {root.tag}).", response=body
        )
    soap_body = root.find(f"{{{SOAP_ENV_NS}}}Body")
    if soap_body is None:
        raise SoapCallError("malformed", "Response envelope has no Body.", response=body)
    fault = soap_body.find(f"{{{SOAP_ENV_NS}}}Fault")
    if fault is not None:
        # SOAP 1.1 faultstring is unqualified; .NET raises SoapException(faultstring).
        text = fault.findtext("faultstring") or fault.findtext("faultcode") or "SOAP Fault"
        raise SoapCallError("fault", text.strip(), response=body)
    return soap_body


def read_result(
    operation: Operation, body: bytes, notes: list[str] | None = None
) -> str | int | list[str | None] | None:
    """The web method's return value, keeping "" and None apart.

    string: missing or ``xsi:nil`` -> None, empty -> "". ArrayOfString: a list with one entry
    per ``<string>`` (nil -> None), or None when the result element is absent.
    int: required (minOccurs=1 in the contract); a missing or non-numeric value is an error.
    A string or int sent as element content is read as .NET reads it (``_string_value``),
    with a line in ``notes``.
    """
    soap_body = parse_envelope(body)
    wrapper = soap_body.find(f"{{{QBWC_NS}}}{operation.name}Response")
    if wrapper is None:
        first = next(iter(soap_body), None)
        found = etree.QName(first).text if first is not None else "nothing"
        raise SoapCallError(
            "malformed",
            f"<{operation.name}Response xmlns='{QBWC_NS}'> expected in the response, "
            f"found {found}.",
            response=body,
        )
    result = wrapper.find(f"{{{QBWC_NS}}}{operation.result_name}")
    if operation.result_type == "ArrayOfString":
        if result is None or _is_nil(result):
            return None
        return [_string_value(item) for item in result.findall(f"{{{QBWC_NS}}}string")]
    if operation.result_type == "int":
        text = _string_value(result, notes)
        try:
            return int((text or "").strip())
        except ValueError:
            # .NET's XmlConvert.ToInt32 message; uncertain what QBWC does with a missing int
            # (the .NET default would be 0 = "continue"): we treat it as the method failing.
            raise SoapCallError(
                "malformed",
                f"Input string was not in a correct format ({operation.result_name}={text!r}).",
                response=body,
            ) from None
    return _string_value(result, notes)
