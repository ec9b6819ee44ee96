"""qbXML 13.0 request building and response parsing for the reference connector."""

from connector.qbxml.requests import QbxmlVersion, render_request
from connector.qbxml.responses import QbxmlParseError, ResponseStatus, parse_response

__all__ = ["QbxmlParseError", "QbxmlVersion", "ResponseStatus", "parse_response", "render_request"]
