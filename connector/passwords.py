"""Password hashing for the users the connector accepts in ``authenticate``.

Passwords are hashed once when settings load (scrypt from hashlib), compared in constant
time, and the plain text is never kept, logged or repr'd.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_PREFIX = "scrypt"
# Interactive-login parameters (RFC 7914 section 2 suggests N=2**14, r=8, p=1).
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Return ``scrypt$<salt hex>$<hash hex>`` for ``password``."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"{_PREFIX}${salt.hex()}${digest.hex()}"


def is_password_hash(value: str) -> bool:
    parts = value.split("$")
    return len(parts) == 3 and parts[0] == _PREFIX


def verify_password(password: str, password_hash: str) -> bool:
    """Constant-time check of ``password`` against a ``hash_password`` result."""
    try:
        prefix, salt_hex, digest_hex = password_hash.split("$")
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        return False
    if prefix != _PREFIX:
        return False
    actual = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return hmac.compare_digest(actual, expected)
