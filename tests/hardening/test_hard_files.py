"""Hostile input files (issue 23 items 12, 14, 17): .qwc files QBWC would refuse, files
that never end or are not files, YAML that expands without bound; each refused quickly
with a clear error, never a traceback or a hang."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


# -- files that are not small regular files --------------------------------------------


def run_cli(*args: str) -> Any:
    from click.testing import CliRunner

    from harness.cli import cli

    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    os.mkfifo(path)
    return path


def test_a_fifo_as_a_qwc_is_refused_without_waiting(fifo: Path) -> None:
    with pytest.raises(QwcError) as refused:
        QwcFile.load(fifo)
    assert "not a regular file" in refused.value.message


def test_dev_zero_as_a_qwc_is_refused() -> None:
    with pytest.raises(QwcError) as refused:
        QwcFile.load(Path("/dev/zero"))
    assert "not a regular file" in refused.value.message


def test_a_2_gb_qwc_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.qwc"
    with huge.open("wb") as file:  # sparse: 2 GiB of size, no disk used
        file.truncate(2 * 1024**3)
    with pytest.raises(QwcError) as refused:
        QwcFile.load(huge)
    assert "2147483648 bytes; at most 65536" in refused.value.message


@pytest.mark.parametrize("name", ["fifo", "/dev/zero"])
def test_a_scenario_that_is_not_a_file_is_a_usage_error(fifo: Path, name: str) -> None:
    from harness.scenario.errors import ScenarioError
    from harness.scenario.loader import read_mapping

    path = fifo if name == "fifo" else Path(name)
    with pytest.raises(ScenarioError) as refused:
        read_mapping(path, "scenario file is a mapping")
    assert "not a regular file" in str(refused.value.problems[0])


# -- YAML that expands without bound --------------------------------------------------

ALIAS_BOMB = "id: x\ntitle: t\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 10)
)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (ALIAS_BOMB, 3, "more than 100000 values once aliases are expanded"),
        ("id: x\nsteps: &loop\n  - *loop\n", 2, "a recursive alias"),
        ("id: x\ntitle: &me {again: *me}\n", 2, "a recursive alias"),
        ("id: x\nsteps:\n  - clock: {advance: " + "9" * 5000 + "}\n", 3, "5000 digits"),
        ("id: x\ndeep: " + "[" * 200 + "]" * 200 + "\n", 2, "nested more than 64"),
    ],
)
def test_yaml_that_expands_is_a_file_line_error(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    """In a scenario and in a capability declaration (the same reader): exit 2, the file
    and line, no traceback."""
    scenario = tmp_path / "bomb.yaml"
    scenario.write_text(text)
    result = run_cli("run", str(scenario))
    assert result.exit_code == 2, result.output
    assert f"{scenario}:{line}:" in result.output and words in result.output
    assert "Traceback" not in result.output
    declaration = tmp_path / "claims.yaml"
    declaration.write_text(text.replace("id: x", "product: x"))
    result = run_cli("certify", "--capabilities", str(declaration), "--profile", "default")
    assert result.exit_code == 2, result.output
    assert f"{declaration}:{line}:" in result.output and words in result.output


# -- JSON nested or numbered beyond what a parser should try ------------------------------

DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"app_base_url": "http://localhost:9", "x": ' + DEEP_JSON + "}", "nested too deeply"),
        (
            '{"app_base_url": "http://localhost:9", "ticket_timeout_seconds": ' + "9" * 5000 + "}",
            "not valid json",
        ),
    ],
)
def test_connector_settings_beyond_reason_are_one_line_errors(
    tmp_path: Path, text: str, words: str
) -> None:
    from click.testing import CliRunner

    from connector.cli import main

    config = tmp_path / "settings.json"
    config.write_text(text)
    result = CliRunner().invoke(main, ["serve", "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert str(config) in result.output and words in result.output.lower()
    assert "Traceback" not in result.output


def test_the_fake_app_answers_400_to_deeply_nested_json() -> None:
    from werkzeug.test import Client

    from harness.fake_fieldservice import FieldServiceApp

    client = Client(FieldServiceApp().wsgi)
    body = '{"name": ' + DEEP_JSON + "}"
    answer = client.post("/api/v1/customers", data=body, content_type="application/json")
    assert answer.status_code == 400, answer.data[:300]
    assert b"nested too deeply" in answer.data


@pytest.mark.parametrize("amount", ["1" * 27 + ".00", "-" + "9" * 40, "10000000000.00"])
def test_the_fake_company_refuses_an_amount_too_large_and_stores_nothing(amount: str) -> None:
    """Once a crash after storing the record (and every later query crashed too)."""
    from harness.fake_qbd import QBDCompany
    from harness.fake_qbd.errors import RequestProcessorError

    qbd = QBDCompany()
    before = qbd.snapshot()
    request = (
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
        '<CustomerAddRq requestID="1"><CustomerAdd><Name>Big</Name>'
        f"<OpenBalance>{amount}</OpenBalance></CustomerAdd></CustomerAddRq>"
        "</QBXMLMsgsRq></QBXML>"
    )
    with pytest.raises(RequestProcessorError) as refused:  # the whole request, as parsed
        qbd.process(request)
    assert "larger than 9999999999.99" in str(refused.value)
    assert qbd.snapshot() == before
    query = request.replace("CustomerAddRq", "CustomerQueryRq").replace(
        f"<CustomerAdd><Name>Big</Name><OpenBalance>{amount}</OpenBalance></CustomerAdd>", ""
    )
    assert 'statusCode="1"' in qbd.process(query)  # later queries still answer: no match


@pytest.mark.parametrize(
    ("claim", "line", "message"),
    [
        ("{setting: no_such_setting}", 4, "unknown connector setting 'no_such_setting'"),
        ("{setting: db_path, value: /tmp/x}", 4, "unknown connector setting 'db_path'"),
        ("\n    setting: page_size\n    value: 0", 6, "setting page_size: Input should be"),
        ("{setting: customer_master_sync, value: [1]}", 4, "a valid boolean"),
        ("{setting: customer_direction, value: sideways}", 4, "setting customer_direction"),
    ],
)
def test_a_setting_claim_the_connector_would_refuse_stops_certify_before_anything_runs(
    tmp_path: Path, claim: str, line: int, message: str
) -> None:
    """Issue 23 item 16: these ran and reported behaviors failed; now exit 2 at file:line."""
    from click.testing import CliRunner

    from harness.cli import cli

    declaration = tmp_path / "caps.yaml"
    declaration.write_text(f"product: X\nclaims:\n  WC-01: yes\n  CUS-05: {claim}\n")
    result = CliRunner().invoke(cli, ["certify", "--capabilities", str(declaration)])
    assert result.exit_code == 2, result.output
    assert f"caps.yaml:{line}: claims.CUS-05: " in result.output and message in result.output
    assert "certifying" not in result.output and "Traceback" not in result.output
