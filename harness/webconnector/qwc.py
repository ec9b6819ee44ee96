"""The .qwc file: what a user double-clicks to add an application to the Web Connector.

Validated the way QBWC validates it when the file is added (guide pp. 33-39; error codes
from Appendix A, pp. 83-98). Failures raise :class:`QwcError` with the QBWC code.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from harness import xmlsafe
from harness.files import read_small_file

from .errors import QwcError

#: A .qwc file is a few hundred bytes; anything near this is not one.
QWC_MAX_BYTES = 64 * 1024

_GUID_RE = re.compile(
    r"^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$"
)
#: Editions a QBFS application may allow (guide p.36); 0x0 = all.
_AUTH_FLAGS_MAX = 0xF
_LOCAL_HOSTS = ("localhost",)
#: Required elements (guide pp. 35-38). AppID must be present but may be empty.
_REQUIRED = (
    "AppName",
    "AppURL",
    "AppDescription",
    "AppSupport",
    "UserName",
    "OwnerID",
    "FileID",
    "QBType",
)


@dataclass(frozen=True)
class QwcFile:
    app_name: str
    app_id: str
    app_url: str
    app_description: str
    app_support: str
    user_name: str
    owner_id: str
    file_id: str
    qb_type: str = "QBFS"
    #: Seconds between automatic runs, from Scheduler; None when the file has no Scheduler.
    run_every_seconds: int | None = None
    is_read_only: bool = False
    auth_flags: int = 0
    personal_data_pref: str | None = None
    unattended_mode_pref: str | None = None
    style: str = "Document"
    app_display_name: str | None = None
    app_unique_name: str | None = None

    @classmethod
    def load(cls, source: str | Path) -> QwcFile:
        """Read a .qwc from a path or from its XML text; raise QwcError when QBWC would refuse it."""
        if isinstance(source, Path) or not source.lstrip().startswith("<"):
            path = Path(source)
            try:
                text = read_small_file(path, QWC_MAX_BYTES)
            except OSError as exc:
                raise QwcError("QBWC1039", f"cannot read QWC file {path}: {exc.strerror}") from None
            except ValueError as exc:  # not a regular file, or far too large for a .qwc
                raise QwcError("QBWC1039", f"the QWC file is refused: {exc}") from None
        else:
            text = source.encode("utf-8")
        return cls.parse(text)

    @classmethod
    def parse(cls, data: bytes) -> QwcFile:
        try:
            root = xmlsafe.parse(data, what="the QWC file", max_bytes=QWC_MAX_BYTES)
        except xmlsafe.UnsafeXmlError as exc:
            raise QwcError("QBWC1039", f"the QWC file is refused: {exc}") from None
        except etree.XMLSyntaxError as exc:
            raise QwcError("QBWC1039", f"the QWC file is not well-formed XML: {exc}") from None
        if root.tag != "QBWCXML":
            raise QwcError("QBWC1039", f"the root element must be QBWCXML, not {root.tag}")

        def text(name: str) -> str | None:
            element = root.find(name)
            return None if element is None else (element.text or "").strip()

        missing = [name for name in _REQUIRED if not text(name)]
        if root.find("AppID") is None:
            missing.append("AppID")
        if missing:
            raise QwcError(
                "QBWC1039", f"required element(s) missing or empty: {', '.join(missing)}"
            )

        app_name = text("AppName") or ""
        app_url = text("AppURL") or ""
        app_support = text("AppSupport") or ""
        url_host = _check_url(app_url, app_name, "AppURL", ip_code="QBWC1001")
        support_host = _check_url(app_support, app_name, "AppSupport", ip_code="QBWC1002")
        if urlsplit(app_url).scheme.lower() != "https" and url_host not in _LOCAL_HOSTS:
            raise QwcError(
                "QBWC1010",
                f"application {app_name!r}: AppURL must be https "
                "(http is accepted for localhost only)",
            )
        # Guide p.35: the domains must match "unless you are using localhost".
        if url_host not in _LOCAL_HOSTS and _domain(url_host) != _domain(support_host):
            raise QwcError(
                "QBWC1000",
                f"the domain names of {app_name!r}'s service URL "
                f"({url_host}) and support URL ({support_host}) do not match",
            )

        for name in ("OwnerID", "FileID"):
            value = text(name) or ""
            if not _GUID_RE.match(value):
                raise QwcError(
                    "QBWC1039",
                    f"{name} must be a GUID in braces like "
                    f"{{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}}, got {value!r}",
                )
        qb_type = text("QBType") or ""
        if qb_type not in ("QBFS", "QBPOS"):
            raise QwcError("QBWC1039", f"QBType must be QBFS or QBPOS, got {qb_type!r}")

        return cls(
            app_name=app_name,
            app_id=text("AppID") or "",
            app_url=app_url,
            app_description=text("AppDescription") or "",
            app_support=app_support,
            user_name=text("UserName") or "",
            owner_id=text("OwnerID") or "",
            file_id=text("FileID") or "",
            qb_type=qb_type,
            run_every_seconds=_scheduler(root.find("Scheduler")),
            is_read_only=_boolean(text("IsReadOnly"), "IsReadOnly"),
            auth_flags=_auth_flags(text("AuthFlags")),
            personal_data_pref=text("PersonalDataPref"),
            unattended_mode_pref=text("UnattendedModePref"),
            style=text("Style") or "Document",
            app_display_name=text("AppDisplayName"),
            app_unique_name=text("AppUniqueName"),
        )


def _check_url(url: str, app_name: str, field: str, *, ip_code: str) -> str:
    # RFC 3986 allows no control character or space in a URL, and Python's urlsplit would
    # silently drop a CR/LF/tab inside one. QBWC's own reaction is undocumented: refused
    # as an invalid value (QBWC1039), the safe reading (confidence: medium).
    if any(not char.isprintable() or char.isspace() for char in url):
        raise QwcError("QBWC1039", f"{field} holds a space or control character: {url!r}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise QwcError("QBWC1039", f"{field} must be a full http(s) URL, got {url!r}")
    host = parts.hostname.lower()
    if not _is_ip_address(host):
        return host
    # Guide p.83 (QBWC1001/QBWC1002): no IP-address based URLs, 127.0.0.1 included.
    raise QwcError(
        ip_code, f"application {app_name!r}: {field} {url!r} is an IP address; use a host name"
    )


def _is_ip_address(host: str) -> bool:
    """An IPv6 address, or an IPv4 address in any form .NET's Uri reads as one: dotted
    decimal, and the older forms of one to four parts, each decimal, 0x-hex or 0-octal
    (``0x7f000001``, ``2130706433``, ``0177.0.0.1``, ``127.1``: all 127.0.0.1). .NET's
    System.Uri reports these as HostNameType IPv4 (confidence: medium, from its documented
    canonicalization; QBWC runs on it)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    if not 1 <= len(labels) <= 4:
        return False
    values = []
    for label in labels:
        base = 16 if label.startswith("0x") else 8 if len(label) > 1 and label[0] == "0" else 10
        digits = label[2:] if base == 16 else label
        try:
            values.append(int(digits, base) if digits else -1)
        except ValueError:
            return False
    *front, last = values
    return all(0 <= v <= 255 for v in front) and 0 <= last < 256 ** (5 - len(values))


def _domain(host: str) -> str:
    """The registrable part compared by QBWC1000: the last two labels (a machine name as is).

    Uncertain: QBWC's exact rule for multi-label public suffixes (example.co.uk) is not
    documented; comparing the last two labels accepts app.example.com vs support.example.com.
    """
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


def _boolean(value: str | None, name: str) -> bool:
    # Guide p.36 words IsReadOnly backwards ("true if write access is needed"); we take the
    # element's name at its word: true = the application only reads.
    if value is None or value == "":
        return False
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise QwcError("QBWC1039", f"{name} must be true or false, got {value!r}")


def _auth_flags(value: str | None) -> int:
    if not value:
        return 0
    try:
        flags = int(value, 16) if value.lower().startswith("0x") else int(value)
    except ValueError:
        raise QwcError("QBWC1039", f"AuthFlags must be a number like 0xF, got {value!r}") from None
    if not 0 <= flags <= _AUTH_FLAGS_MAX:
        raise QwcError("QBWC1039", f"AuthFlags must be between 0x0 and 0xF, got {value!r}")
    return flags


def _scheduler(element: etree._Element | None) -> int | None:
    if element is None:
        return None
    # Guide p.37: with both children, QBWC uses the first one in the file.
    for child in element:
        if child.tag in ("RunEveryNMinutes", "RunEveryNSeconds"):
            raw = (child.text or "").strip()
            if not raw.isdigit() or int(raw) <= 0:
                raise QwcError(
                    "QBWC1039",
                    f"Scheduler/{child.tag} must be a positive whole number, got {raw!r}",
                )
            return int(raw) * (60 if child.tag == "RunEveryNMinutes" else 1)
    raise QwcError("QBWC1039", "Scheduler must contain RunEveryNMinutes or RunEveryNSeconds")
