"""HTTP Basic credentials (RFC 7617) from an ``Authorization`` header."""

from __future__ import annotations

import base64
import binascii

#: The challenge of a 401: the realm, and that credentials are read as UTF-8 (RFC 7617
#: section 2.1).
CHALLENGE = 'Basic realm="qbwc connector status", charset="UTF-8"'


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(user name, password), or None when the header carries no readable Basic
    credentials (another scheme, bad base64, not UTF-8, no colon)."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    if not colon:
        return None
    return username, password
