"""spyne's SOAP 1.1 input protocol, reading the envelope the request guard parsed.

The request guard (``connector.limits``) parses every request body to check it; spyne
would parse it again. ``GuardedSoap11`` takes the guard's tree from the WSGI environ
(``PARSED_ENVELOPE``) and parses only when there is none (a call that did not pass through
the guard, or a charset other than UTF-8) or when the tree holds a processing instruction
(spyne's own parser drops those, the guard's keeps them: the text around one would differ).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from connector import _spyne_compat  # noqa: F401  (must run before spyne is imported)
from connector.limits import PARSED_ENVELOPE

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
