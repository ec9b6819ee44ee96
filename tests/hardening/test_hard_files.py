"""Hostile input files (issue 23 items 12, 14, 17): .qwc files QBWC would refuse, files
that never end or are not files, YAML that expands without bound; each refused quickly
with a clear error, never a traceback or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.webconnector import QwcError, QwcFile

REPO = Path(__file__).resolve().parents[2]
VENDOR_QWC = (REPO / "docs/examples/vendor.qwc").read_text()


def with_url(url: str) -> str:
    return VENDOR_QWC.replace(
        "<AppURL>http://localhost:8765/qbwc</AppURL>", f"<AppURL>{url}</AppURL>"
    ).replace(
        "<AppSupport>http://localhost:8765/qbwc</AppSupport>",
        "<AppSupport>https://support.example.com/</AppSupport>",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://0x7f000001/qbwc",
        "https://2130706433/qbwc",
        "https://0177.0.0.1/qbwc",
        "https://127.1/qbwc",
        "https://0x0a.0x00.0x00.0x01/qbwc",
        "https://[::1]/qbwc",
    ],
)
def test_every_spelling_of_an_ip_address_is_refused(url: str) -> None:
    """Guide p.83 (QBWC1001): no IP-address based AppURL; .NET's Uri reads these as IPv4."""
    with pytest.raises(QwcError) as refused:
        QwcFile.parse(with_url(url).encode())
    assert refused.value.code == "QBWC1001"


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/q\r\nbwc",
        "https://app.example.com/q\nX-Evil: 1",
        "https://app.example.com/\tq",
    ],
)
def test_a_control_character_in_appurl_is_refused(url: str) -> None:
    with pytest.raises(QwcError) as refused:
        QwcFile.parse(with_url(url.replace("\r", "&#13;")).encode())
    assert refused.value.code == "QBWC1039" and "control character" in refused.value.message


def test_an_ordinary_host_name_still_loads() -> None:
    loaded = QwcFile.parse(with_url("https://app.example.com/qbwc").encode())
    assert loaded.app_url == "https://app.example.com/qbwc"
