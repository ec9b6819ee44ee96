"""The app-free certify scenarios against small services written from the guide (no
project code, tests/certification/services): every way of answering the guide allows
passes, or is inconclusive with its reason when there is nothing to judge; every
violation fails, with the QBWC error it would cause."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from cert_support import REPO, suite
from rich.console import Console
from services import allowed, violations
from services.guided import PASSWORD, GuidedService

from harness.certification import load_capabilities, plan_certification, run_certification
from harness.certification.cli_run import print_matrix
from harness.certification.report import render_html, render_markdown
from harness.runner.results import ScenarioResult
from harness.runner.run import RunOptions, run_scenario
from harness.webconnector import WsgiTransport
from harness.world import ExternalConnector, WorldOptions

URL = "http://localhost/qbwc"


class InProcessService(ExternalConnector):
    """A service that is not ours, reached without a socket (the tests stay fast)."""

    def __init__(self, app: Any) -> None:
        super().__init__(URL, PASSWORD)
        self.app = app

    def transport(self) -> Any:
        return WsgiTransport(self.app)


def certify_scenarios() -> list[Any]:
    return [s for s in suite() if "certify" in s.scenario.tags]


@cache
def certify(service_class: type[GuidedService]) -> dict[str, ScenarioResult]:
    """Every app-free certify scenario, in order, against one running service."""
    target = InProcessService(service_class())
    options = RunOptions(WorldOptions(external=target))
    return {s.id: run_scenario(s, options) for s in certify_scenarios()}


def test_the_app_free_scenarios_are_the_protocol_ones() -> None:
    names = {str(s.path.relative_to(REPO)) for s in certify_scenarios()}
    assert names and all(name.startswith("scenarios/protocol/") for name in names)
    assert {"wc-15-closed-ticket-any-connector", "wc-08-quickbooks-failed-request"} <= {
        s.id for s in certify_scenarios()
    }


@pytest.mark.parametrize(
    "service",
    [
        GuidedService,
        allowed.EmptyTicketNvu,
        allowed.FourMemberAnswers,
        allowed.RetriesWithOpenFile,
        allowed.NamesItsCompanyFile,
        allowed.ElementContentStrings,
    ],
)
def test_what_the_guide_allows_passes(service: type[GuidedService]) -> None:
    results = certify(service)
    assert {name: r.status for name, r in results.items()} == dict.fromkeys(results, "passed")


def test_element_content_is_read_and_said() -> None:
    results = certify(allowed.ElementContentStrings)
    result = results["wc-01-any-connector"]
    sent = [e for e in result.transcripts[0]["events"] if e.get("method") == "sendRequestXML"]
    assert "<CustomerQueryRq" in sent[0]["result"]  # the value the service sent
    assert "<string> child element" in sent[0]["reading"]
    # one warning for every callback read this way, not one per callback
    readings = [w for w in result.warnings if "ReadElementString" in w]
    assert len(readings) == 1 and "confidence: medium" in readings[0]
    assert readings[0].startswith("a callback's result carried its value")
    assert "(harness) sendRequestXMLResult carried its value" in result.qbwc_log


@pytest.mark.parametrize(
    ("service", "cause"),
    [(allowed.NothingToDo, "nothing-to-do"), (allowed.AlwaysBusy, "busy")],
)
def test_nothing_to_do_or_busy_is_inconclusive_not_failed(
    service: type[GuidedService], cause: str
) -> None:
    results = certify(service)
    statuses = {r.status for r in results.values()}
    assert statuses == {"passed", "inconclusive"}
    for result in results.values():
        needs = {"needs-work", "needs-session"} & set(result.tags)
        if "needs-work" in needs or (needs and cause == "busy"):
            assert result.status == "inconclusive", result.id
            hint = "give the service work" if "needs-work" in needs else "a session the service"
            assert result.cause == cause and hint in (result.reason or "")
        else:
            assert result.status == "passed", (result.id, result.failure)


@pytest.mark.parametrize(
    ("service", "failing", "shown"),
    [
        (
            violations.ServesAnyTicket,
            {
                "wc-15-forged-ticket",
                "wc-15-closed-ticket-any-connector",
                "wc-15-ticket-after-connection-error",
            },
            "sendRequestXML#1.result: expected '', got '<?xml",
        ),
        (
            violations.ServesAnyTicketAsElementContent,
            {
                "wc-15-forged-ticket",
                "wc-15-closed-ticket-any-connector",
                "wc-15-ticket-after-connection-error",
            },
            "sendRequestXML#1.result: expected '', got '<?xml",
        ),
        (
            violations.CrashesOnHresult,
            {"wc-08-quickbooks-failed-request", "wc-08-quickbooks-busy-mid-session"},
            "receiveResponseXML#1.error: expected 'an answer', got 'failed: QBWC1042",
        ),
        (
            violations.SwallowsHresult,
            {"wc-08-quickbooks-failed-request", "wc-08-quickbooks-busy-mid-session"},
            "receiveResponseXML#1.result: expected 'to match -[0-9]+', got 100",
        ),
        (
            violations.SilentLastError,
            {
                "wc-08-quickbooks-failed-request",
                "wc-08-quickbooks-busy-mid-session",
                "wc-15-forged-ticket",
            },
            "getLastError#-1.result",  # wc-08 reads the last one (an earlier may be NoOp)
        ),
        (
            violations.AlwaysWrites13,
            {"wc-16-any-connector"},
            '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>',
        ),
    ],
)
def test_each_violation_fails_with_its_consequence(
    service: type[GuidedService], failing: set[str], shown: str
) -> None:
    results = certify(service)
    failed = {name for name, r in results.items() if r.status == "failed"}
    assert failed == failing
    assert {r.status for r in results.values()} == {"passed", "failed"}
    first = sorted(failing)[0]
    text = results[first].failure.render(results[first].path)  # type: ignore[union-attr]
    assert shown in text, text


def test_busy_after_an_earlier_crash_is_blamed_on_that_scenario(tmp_path: Any) -> None:
    declaration = tmp_path / "claims.yaml"
    declaration.write_text("product: Locks\nclaims: {WC-01: yes, WC-15: yes}\n")
    claims = load_capabilities(declaration)
    plan = plan_certification(list(suite()), claims, external=True, app_reachable=False)
    target = InProcessService(violations.LocksAfterCrash())
    cert = run_certification(
        plan, RunOptions(WorldOptions(external=target)), target=URL, adapter="", external=True
    )
    wc01, wc15 = (next(v for v in cert.verdicts if v.behavior == b) for b in ("WC-01", "WC-15"))
    assert wc01.verdict == "failed"
    assert "wc-01-any-connector" in (wc01.reason or "") and "QBWC1042" in (wc01.reason or "")
    assert wc15.verdict == "inconclusive"
    reason = wc15.reason or ""
    assert reason.startswith("partial coverage: 1 of 4 scenarios ran and passed")
    assert "locked by the earlier scenario wc-01-any-connector (failed" in reason
    closed = next(r for r in cert.results if r.id == "wc-15-closed-ticket-any-connector")
    assert closed.status == "inconclusive" and closed.cause == "busy"


def test_a_login_turned_away_before_the_password_is_judged_is_inconclusive() -> None:
    results = certify(allowed.RateLimitedLogin)
    wrong_password = results["wc-02-wrong-password"]
    assert wrong_password.status == "inconclusive" and wrong_password.cause == "nothing-to-do"
    assert "needs the service to judge the login" in (wrong_password.reason or "")
    assert results["wc-15-forged-ticket"].status == "passed"
    assert {r.status for r in results.values()} == {"passed", "inconclusive"}


def test_a_session_that_never_ends_fails_wc01_and_wc17_by_name(tmp_path: Any) -> None:
    """Issue 23 item 16: the simulated Web Connector stops a session after 10000 requests;
    that cut-off is the service's violation (guide p.77-78), never a pass."""
    declaration = tmp_path / "claims.yaml"
    declaration.write_text("product: Endless\nclaims: {WC-01: yes, WC-17: yes}\n")
    plan = plan_certification(
        list(suite()), load_capabilities(declaration), external=True, app_reachable=False
    )
    target = InProcessService(violations.NeverFinishes())
    cert = run_certification(
        plan, RunOptions(WorldOptions(external=target)), target=URL, adapter="", external=True
    )
    for behavior in ("WC-01", "WC-17"):
        verdict = next(v for v in cert.verdicts if v.behavior == behavior)
        assert verdict.verdict == "failed", (behavior, verdict.reason)
        assert "the session never ended" in (verdict.reason or "")
        assert "after 10000 requests" in (verdict.reason or "")


def _certify_claims(tmp_path: Any, claims: str, service: GuidedService) -> Any:
    declaration = tmp_path / "claims.yaml"
    declaration.write_text(f"product: Busy\nclaims: {{{claims}}}\n")
    plan = plan_certification(
        list(suite()), load_capabilities(declaration), external=True, app_reachable=False
    )
    target = InProcessService(service)
    return run_certification(
        plan, RunOptions(WorldOptions(external=target)), target=URL, adapter="", external=True
    )


def test_a_run_whose_every_session_was_busy_says_nothing_was_measured(tmp_path: Any) -> None:
    """Each scenario turned away busy is only inconclusive; all of them together say the
    service is locked or always busy, plainly, at the end of every report."""
    claims = "WC-01: yes, WC-08: yes, WC-16: yes, WC-17: yes"
    cert = _certify_claims(tmp_path, claims, allowed.AlwaysBusy())
    ran = [r for r in cert.results if r.transcripts]
    assert {r.cause for r in ran} == {"busy"} and len(ran) == 5
    note = cert.nothing_measured
    assert note is not None
    assert note.startswith("every session of all 5 scenarios that reached the service was")
    assert "the service is locked or always busy; nothing was measured" in note
    assert render_markdown(cert).endswith(f"## Nothing measured\n\n{note}\n")
    assert note in render_html(cert) and cert.to_json()["nothing_measured"] == note
    out = Console(record=True, width=200)
    print_matrix(cert, out, quiet=True)
    assert out.export_text().rstrip().endswith(note)


def test_a_busy_run_with_anything_measured_says_nothing_more(tmp_path: Any) -> None:
    """wc-02-wrong-password is judged without a session: measured, so no such note."""
    cert = _certify_claims(tmp_path, "WC-01: yes, WC-02: yes", allowed.AlwaysBusy())
    assert {r.status for r in cert.results if r.transcripts} == {"inconclusive", "passed"}
    assert cert.nothing_measured is None
    assert "Nothing measured" not in render_markdown(cert)
