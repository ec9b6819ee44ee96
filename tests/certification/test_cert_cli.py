"""``qbwc-harness certify --capabilities``: the reference connector under a seed profile
(in-process), and a connector that is not ours (docs/examples/vendor_qbwc.py, no project
code) with its own app adapter; a matrix with no skips, and reports two runs can compare."""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cert_support import CAPABILITIES, EXAMPLES, REPO, example_module
from click.testing import CliRunner

from harness.cli import cli
from harness.serve import serve_on_loopback

SYNCRO = str(CAPABILITIES / "syncro.yaml")


def _certify(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> Any:
    out = tmp_path / "cert.json"
    result = CliRunner().invoke(cli, ["certify", *args, "--json", str(out)], env=env)
    data = json.loads(out.read_text()) if out.exists() else None
    return result, data


def test_the_reference_connector_under_syncro_is_certified(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(REPO)
    md, html = tmp_path / "m.md", tmp_path / "m.html"
    args = [
        "--capabilities",
        SYNCRO,
        "--adapter",
        "harness.fieldservice_adapter:FieldServiceAdapter",
    ]
    result, data = _certify([*args, "--markdown", str(md), "--html", str(html)], tmp_path)
    assert result.exit_code == 0, result.output
    assert "certified: 13 passed, 0 failed, 80 not claimed, 0 inconclusive" in result.output
    verdicts = {b["id"]: b["verdict"] for b in data["behaviors"]}
    assert verdicts["PAY-09"] == "passed" and verdicts["IVC-02"] == "not claimed"
    assert {s["status"] for s in data["scenarios"]} == {"passed"}
    text = md.read_text()
    assert "| IVC-02 | no | not claimed |" in text
    assert f"harness version: {data['harness_version']}" in text
    assert data["transcript_digest"] in text and data["transcript_digest"] in html.read_text()
    scenario = "scenarios/profiles/syncro/syncro-pay-07-payments-to-qb.yaml"
    sha = hashlib.sha256((REPO / scenario).read_bytes()).hexdigest()
    assert f"| {scenario} | `{sha}` |" in text
    assert 'id="matrix"' in html.read_text()


def test_two_runs_give_the_same_digests(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(REPO)
    args = ["--capabilities", SYNCRO, "scenarios/profiles", "-q"]
    first = _certify(args, tmp_path / "a")[1]
    second = _certify(args, tmp_path / "b")[1]
    assert first["transcript_digest"] == second["transcript_digest"]
    assert [s["transcripts_sha256"] for s in first["scenarios"]] == [
        s["transcripts_sha256"] for s in second["scenarios"]
    ]


def test_another_profile_changes_the_verdicts(tmp_path: Path, monkeypatch: Any) -> None:
    """The same claims against the reference default: Syncro-only scenarios do not apply
    and the reference's default scenarios run instead."""
    monkeypatch.chdir(REPO)
    args = ["--capabilities", SYNCRO, "--profile", "default", "scenarios/payments", "-q"]
    result, data = _certify(args, tmp_path)
    ran = {s["id"] for s in data["scenarios"]}
    assert "pay-07-app-payment-to-qbd" in ran and "syncro-pay-07-payments-to-qb" not in ran
    # only payments scenarios were given: the claimed customer behaviors have none
    verdicts = {b["id"]: b for b in data["behaviors"]}
    assert verdicts["CUS-04"]["verdict"] == "inconclusive"
    assert "no scenario measures CUS-04" in verdicts["CUS-04"]["reason"]
    assert result.exit_code == 1


@pytest.fixture
def vendor() -> Iterator[str]:
    service = example_module("vendor_qbwc").VendorSync()
    server = serve_on_loopback(service)
    try:
        yield server.url
    finally:
        server.stop()


def test_a_connector_that_is_not_ours_gets_its_matrix(
    vendor: str, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.syspath_prepend(str(EXAMPLES))
    html = tmp_path / "vendor.html"
    args = [
        "--qwc",
        str(EXAMPLES / "vendor.qwc"),
        "--url",
        f"{vendor}/qbwc",
        "--capabilities",
        str(EXAMPLES / "vendor-capabilities.yaml"),
        "--adapter",
        "vendor_adapter:VendorAppAdapter",
        "--html",
        str(html),
        "-q",
    ]
    env = {"QBWC_HARNESS_PASSWORD": "vendor-pass-9", "VENDOR_APP_URL": vendor}
    result, data = _certify(args, tmp_path, env)
    assert result.exit_code == 1, result.output  # not certified: three claims fail
    verdicts = {b["id"]: b for b in data["behaviors"]}
    assert verdicts["WC-01"]["verdict"] == "passed"
    assert verdicts["WC-02"]["verdict"] == "passed"
    # Its adapter creates the customers and they are exported, but a CustomerAdd whose answer
    # was lost is sent again after a rename: a second customer in QuickBooks.
    assert verdicts["CUS-01"]["verdict"] == "failed"
    assert "cus-01-add-lost-then-renamed" in verdicts["CUS-01"]["reason"]
    assert "qbd count of Customer: expected 1, got 2" in verdicts["CUS-01"]["reason"]
    assert verdicts["WC-15"]["verdict"] == "failed"
    assert verdicts["WC-16"]["verdict"] == "failed"
    assert verdicts["IVC-01"]["verdict"] == "inconclusive"
    assert "does not implement app.create_invoice" in verdicts["IVC-01"]["reason"]
    assert verdicts["PAY-07"]["verdict"] == "not claimed"
    statuses = {s["status"] for s in data["scenarios"]}
    assert "skipped" not in statuses and statuses <= {"passed", "failed", "inconclusive"}
    assert data["target"] == f"{vendor}/qbwc"
    assert "vendor-pass-9" not in result.output
    assert "NOT certified" in result.output and html.exists()
    # -q: the failures in full and the closing line, not the matrix (issue 22)
    assert "FAILED wc-15-forged-ticket" in result.output
    assert "Certification:" not in result.output


def test_the_example_service_uses_no_project_code() -> None:
    tree = ast.parse((EXAMPLES / "vendor_qbwc.py").read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] in ("harness", "connector")}


def test_a_bad_declaration_is_a_file_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("product: X\nclaims:\n  PAY-77: yes\n")
    result = CliRunner().invoke(cli, ["certify", "--capabilities", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3: unknown behavior ID PAY-77" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--adapter", "x:Y"], "--adapter and --profile need --capabilities"),
        ([], "give --qwc"),
        (["--capabilities", SYNCRO, "--adapter", "nope"], "expected MODULE:CLASS"),
        (["--capabilities", SYNCRO, "--profile", "acme"], "unknown profile 'acme'"),
        (
            ["--capabilities", SYNCRO, "--adapter", "vendor_adapter:VendorAppAdapter"],
            "the reference connector (no --qwc) syncs with an app served as .wsgi",
        ),
    ],
)
def test_unusable_options_are_usage_errors(
    args: list[str], message: str, monkeypatch: Any, vendor: str
) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.setenv("VENDOR_APP_URL", vendor)
    result = CliRunner().invoke(cli, ["certify", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
