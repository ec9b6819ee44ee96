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


def hash_password(password: str, *, salt: bytes | None = None, cost: int = _N) -> str:
    """Return ``scrypt$<N>$<salt hex>$<hash hex>`` for ``password``.

    ``cost`` is scrypt's N (a power of two). Production keeps the default; a simulated
    world's throwaway credential may use less, since every authenticate pays it again."""
    if cost < 2 or cost & (cost - 1):
        raise ValueError("scrypt cost must be a power of two")
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = _scrypt(password, salt, cost)
    return f"{_PREFIX}${cost}${salt.hex()}${digest.hex()}"


def is_password_hash(value: str) -> bool:
    parts = value.split("$")
    return parts[0] == _PREFIX and len(parts) in (3, 4)


def verify_password(password: str, password_hash: str) -> bool:
    """Constant-time check of ``password`` against a ``hash_password`` result (hashes
    without a cost field were made with the default N)."""
    parts = password_hash.split("$")
    if parts[0] != _PREFIX or len(parts) not in (3, 4):
        return False
    try:
        cost = int(parts[1]) if len(parts) == 4 else _N
        salt, expected = bytes.fromhex(parts[-2]), bytes.fromhex(parts[-1])
    except ValueError:
        return False
    if cost < 2 or cost & (cost - 1) or cost > _N:
        return False  # a forged hash must not make us spend unbounded memory
    return hmac.compare_digest(_scrypt(password, salt, cost), expected)


def _scrypt(password: str, salt: bytes, cost: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=cost, r=_R, p=_P, dklen=32)
