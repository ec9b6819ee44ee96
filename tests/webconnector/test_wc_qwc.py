"""Loading and validating .qwc files as QBWC does (guide pp. 33-39, Appendix A)."""

from __future__ import annotations

import pytest
from wc_support import qwc_text

from harness.webconnector import QwcError, QwcFile


def test_reference_example_loads(reference):
    qwc = QwcFile.load(reference / "example.qwc")
    assert qwc.app_name == "HTTPSWebService"
    assert qwc.app_id == ""
    assert qwc.user_name == "username"
    assert qwc.owner_id == "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}"
    assert qwc.qb_type == "QBFS"
    assert qwc.auth_flags == 0xF
    assert qwc.run_every_seconds is None and qwc.is_read_only is False


def test_load_from_path_string(tmp_path):
    path = tmp_path / "app.qwc"
    path.write_text(qwc_text())
    assert QwcFile.load(str(path)).user_name == "syncuser"
    with pytest.raises(QwcError, match="cannot read"):
        QwcFile.load(str(tmp_path / "missing.qwc"))


def replace(old: str, new: str) -> str:
    text = qwc_text()
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            replace("http://localhost:8000/qbwc", "http://example.com/qbwc").replace(
                "http://localhost:8000/support", "https://example.com/s"
            ),
            "QBWC1010",
        ),
        (replace("http://localhost:8000/qbwc", "https://10.0.0.5/qbwc"), "QBWC1001"),
        (replace("http://localhost:8000/qbwc", "https://127.0.0.1/qbwc"), "QBWC1001"),
        (replace("http://localhost:8000/support", "https://10.0.0.5/s"), "QBWC1002"),
        (
            replace("http://localhost:8000/qbwc", "https://app.acme.com/q").replace(
                "http://localhost:8000/support", "https://help.other.com/"
            ),
            "QBWC1000",
        ),
        (
            replace(
                "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}", "57F3B9B1-86F1-4fcc-B1EE-566DE1813D20"
            ),
            "QBWC1039",
        ),
        (replace("{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}", "{not-a-guid}"), "QBWC1039"),
        (replace("<QBType>QBFS</QBType>", "<QBType>QBO</QBType>"), "QBWC1039"),
        (replace("<UserName>syncuser</UserName>", ""), "QBWC1039"),
        (replace("<AppID></AppID>", ""), "QBWC1039"),
        (replace("QBWCXML>", "QBWC>"), "QBWC1039"),
        ("<QBWCXML><AppName>x</QBWCXML>", "QBWC1039"),
    ],
)
def test_refused_files(text, code):
    with pytest.raises(QwcError) as info:
        QwcFile.load(text)
    assert info.value.code == code
    assert str(info.value).startswith(code)


def test_https_subdomains_of_one_domain_are_accepted():
    qwc = QwcFile.load(
        replace("http://localhost:8000/qbwc", "https://sync.acme.com/qbwc").replace(
            "http://localhost:8000/support", "https://www.acme.com/help"
        )
    )
    assert qwc.app_url == "https://sync.acme.com/qbwc"


@pytest.mark.parametrize(
    ("extra", "seconds"),
    [
        ("<Scheduler><RunEveryNMinutes>5</RunEveryNMinutes></Scheduler>", 300),
        ("<Scheduler><RunEveryNSeconds>30</RunEveryNSeconds></Scheduler>", 30),
        # guide p.37: both given, the first one wins
        (
            "<Scheduler><RunEveryNSeconds>30</RunEveryNSeconds>"
            "<RunEveryNMinutes>5</RunEveryNMinutes></Scheduler>",
            30,
        ),
    ],
)
def test_scheduler(extra, seconds):
    assert QwcFile.load(qwc_text(extra)).run_every_seconds == seconds


@pytest.mark.parametrize(
    "extra",
    [
        "<Scheduler><RunEveryNMinutes>0</RunEveryNMinutes></Scheduler>",
        "<Scheduler><RunEveryNMinutes>five</RunEveryNMinutes></Scheduler>",
        "<Scheduler/>",
        "<IsReadOnly>maybe</IsReadOnly>",
        "<AuthFlags>0x10</AuthFlags>",
        "<AuthFlags>zz</AuthFlags>",
    ],
)
def test_bad_optional_elements(extra):
    with pytest.raises(QwcError, match="QBWC1039"):
        QwcFile.load(qwc_text(extra))


def test_read_only_and_auth_flags():
    qwc = QwcFile.load(qwc_text("<IsReadOnly>true</IsReadOnly><AuthFlags>0x2</AuthFlags>"))
    assert qwc.is_read_only is True and qwc.auth_flags == 2


def test_localhost_service_may_point_support_elsewhere():
    qwc = QwcFile.load(replace("http://localhost:8000/support", "https://help.acme.com/"))
    assert qwc.app_support == "https://help.acme.com/"
