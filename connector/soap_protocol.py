"""spyne's SOAP 1.1 input protocol, reading the envelope the request guard parsed.

The request guard (``connector.limits``) parses every request body to check it; spyne
would parse it again. ``GuardedSoap11`` takes the guard's tree from the WSGI environ
(``PARSED_ENVELOPE``) and parses only when there is none (a call that did not pass through
the guard, or a charset other than UTF-8) or when the tree holds a processing instruction
(spyne's own parser drops those, the guard's keeps them: the text around one would differ).
On the guard's tree it also splits the envelope itself: spyne finds Header and Body with
two XPath expressions compiled again for every call (2% of an in-process round trip,
benchmarks/README.md), and the guard already checked what spyne's split checks.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from connector import _spyne_compat  # noqa: F401  (must run before spyne is imported)
from connector.limits import PARSED_ENVELOPE
from qbwc_wire import SOAP11_ENV_NS

from spyne.protocol.soap import Soap11  # isort: skip

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


class GuardedSoap11(Soap11):
    """Soap11 whose ``create_in_document`` reuses the guard's parse of the envelope."""

    def create_in_document(self, ctx: Any, charset: str | None = None) -> None:
        environ = getattr(ctx.transport, "req_env", None) or {}
        root = environ.get(PARSED_ENVELOPE)
        if root is None or next(root.iter(etree.ProcessingInstruction), None) is not None:
            super().create_in_document(ctx, charset)
            return
        # What spyne's lxml.etree.XMLID parse returns: the root and its xml:id elements.
        ids = {
            el.get(_XML_ID): el for el in root.iter(etree.Element) if el.get(_XML_ID) is not None
        }
        ctx.in_document = (root, ids)

    def decompose_incoming_envelope(self, ctx: Any, message: Any = Soap11.REQUEST) -> None:
        """What spyne's split sets, read from the guard's tree: a SOAP 1.1 Envelope whose
        Body holds exactly one element, the method (a tree with a processing instruction
        is spyne's own parse, comments are not kept). A tree with xml:id elements (spyne
        resolves href references in it) goes to spyne's split."""
        envelope, ids = ctx.in_document
        environ = getattr(ctx.transport, "req_env", None) or {}
        guarded = environ.get(PARSED_ENVELOPE) is envelope
        body = envelope.find(f"{{{SOAP11_ENV_NS}}}Body") if guarded else None
        if ids or body is None or not len(body):
            super().decompose_incoming_envelope(ctx, message)
            return
        header = envelope.find(f"{{{SOAP11_ENV_NS}}}Header")
        method = body[0]
        ctx.in_document = envelope
        if method.tag == f"{{{SOAP11_ENV_NS}}}Fault":
            ctx.in_body_doc = method
            return
        ctx.in_header_doc = None if header is None else list(header)
        ctx.in_body_doc = method
        ctx.method_request_string = method.tag
        self.validate_body(ctx, message)
