"""``qbwc-harness certify --qwc`` against small QBWC services that are not ours
(qbwc_field.py: plain WSGI, no project code), each answering one way a real third-party
service was seen to answer (qbwc-kit 0.1.3 from PyPI, quickbooks-js 1.0.0 from npm,
consolibyte/quickbooks-php, qwc 0.0.1 from PyPI; CoolDotty/qbwc-to-n8n-bridge 1.0.0,
altaraven/QBWCServer and bill-ash/qbwc 0.0.3 run from their repositories, qbws 0.2.1
from npm). Every test
asserts the verdict the guide gives (page in the test). The tests of the first four
services failed on the certify of before issue 17; the "NoOp" ones on the certify before
the bridge was tried (it handed "NoOp" to QuickBooks as a request); IgnoresQuickBooksErrors
and FaultsOnUnknownTicket keep shapes whose verdict was already right."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import qbwc_field as field
from click.testing import CliRunner

from harness.cli import cli
from harness.serve import serve_on_loopback

REPO = Path(__file__).resolve().parents[3]
PROTOCOL = REPO / "scenarios" / "protocol"

QWC = """<?xml version="1.0"?>
<QBWCXML>
  <AppName>Field test service</AppName>
  <AppID></AppID>
  <AppURL>{url}</AppURL>
  <AppDescription>a QBWC service that is not ours</AppDescription>
  <AppSupport>{url}</AppSupport>
  <UserName>{user}</UserName>
  <OwnerID>{{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}}</OwnerID>
  <FileID>{{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}}</FileID>
  <QBType>QBFS</QBType>
</QBWCXML>
"""


class Certified:
    """What certify reported, by behavior: the statuses of the scenarios measuring it."""

    def __init__(self, exit_code: int, output: str, data: Any) -> None:
        self.exit_code, self.output = exit_code, output
        rows = data["scenarios"] if isinstance(data, dict) else data
        self.scenarios: list[dict[str, Any]] = rows
        self.by_behavior: dict[str, list[dict[str, Any]]] = {}
        named = _behaviors_of_scenarios(data) if isinstance(data, dict) else {}
        for row in rows:
            for behavior in row.get("behaviors") or named.get(row["id"], []):
                self.by_behavior.setdefault(behavior, []).append(row)

    def statuses(self, behavior: str) -> set[str]:
        return {
            "failed" if row["status"] == "error" else row["status"]
            for row in self.by_behavior.get(behavior, [])
        }

    def failures(self, behavior: str | None = None) -> str:
        """The failure texts, of the scenarios measuring ``behavior`` or of all."""
        rows = self.scenarios if behavior is None else self.by_behavior.get(behavior, [])
        return "\n".join(str(row.get("failure") or "") for row in rows)


def _behaviors_of_scenarios(data: dict[str, Any]) -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for behavior in data.get("behaviors", []):
        for scenario in behavior.get("scenarios", []):
            named.setdefault(scenario, []).append(behavior["id"])
    return named


_CERTIFIED: dict[type[field.GuideService], Certified] = {}


def certify(kind: type[field.GuideService], tmp_path: Path) -> Certified:
    """``certify --qwc`` over the protocol scenarios against a fresh ``kind`` on loopback;
    once per service kind (several tests read the same run)."""
    if kind in _CERTIFIED:
        return _CERTIFIED[kind]
    server = serve_on_loopback(kind())
    try:
        qwc = tmp_path / "field.qwc"
        qwc.write_text(QWC.format(url=f"{server.url}/qbwc", user=field.USER))
        out = tmp_path / "certify.json"
        result = CliRunner().invoke(
            cli,
            ["certify", "--qwc", str(qwc), str(PROTOCOL), "--json", str(out)],
            env={"QBWC_HARNESS_PASSWORD": field.PASSWORD},
        )
    finally:
        server.stop()
    assert out.exists(), result.output
    cert = _CERTIFIED[kind] = Certified(
        result.exit_code, result.output, json.loads(out.read_text())
    )
    return cert


# --- a service that follows the guide, and answers the guide allows -----------------------

ALLOWED = [
    *[(field.GuideService, behavior) for behavior in ("WC-01", "WC-02", "WC-10", "WC-15", "WC-16")],
    (field.EmptyTicketOnNvu, "WC-02"),  # p.21 asks only for "nvu" in the second member
    # SOAP 1.1 names elements by namespace, not prefix: SOAP-ENV: and ns1: are the same
    *[(field.PrefixedEnvelope, behavior) for behavior in ("WC-01", "WC-02", "WC-15")],
    (field.Busy, "WC-02"),  # busy, but it checks the password first
    # connectionError answered "": retry with the open company (p.22, p.69-70, Intuit's sample)
    (field.RetriesWithOpenCompany, "WC-10"),
    # ["", "nvu", "", ""] (p.63); "C:\\" to every connectionError: any answer but "done" is
    # a retry (p.69), and the Web Connector bounds them (QBWC1013); "" and a negative answer
    # to a forged or closed ticket (p.72)
    *[(field.NoOpWhenIdle, behavior) for behavior in ("WC-02", "WC-10", "WC-15")],
    # ["nvu", "nvu"] (p.21 reads only the second member); the call order holds
    *[(field.FaultsOnUnknownTicket, behavior) for behavior in ("WC-01", "WC-02")],
    # a stateless service: its sessions still follow the call order and the qbXML version
    *[(field.IgnoresQuickBooksErrors, behavior) for behavior in ("WC-01", "WC-16")],
    # "NoOp" then getLastError "NoOp": a 5-second pause, then the request (p.72, p.80)
    *[(field.NoOpThenWork, behavior) for behavior in ("WC-01", "WC-08", "WC-15", "WC-16")],
    # qbws: the SDK's sample company file named in authenticate (a lowercase .qbw), qbXML
    # 4.0 queries, progress 33/67/100, "" then "DONE" to connectionError (p.22, p.69)
    *[(field.SampleQueriesForAnyTicket, behavior) for behavior in ("WC-01", "WC-02", "WC-17")],
]


@pytest.mark.parametrize(("kind", "behavior"), ALLOWED)
def test_an_answer_the_guide_allows_passes(
    kind: type[field.GuideService], behavior: str, tmp_path: Path
) -> None:
    statuses = certify(kind, tmp_path).statuses(behavior)
    assert "passed" in statuses and "failed" not in statuses, certify(kind, tmp_path).output


NOTHING_MEASURED = [
    # "none" (p.21) is a right answer, but a session with no request pair proves nothing
    # about WC-01's loop, WC-10's connectionError or WC-16's version: inconclusive.
    (field.Idle, ("WC-01", "WC-10", "WC-16")),
    # "busy" (p.62): nothing was measured.
    (field.Busy, ("WC-01", "WC-10", "WC-16")),
    # "NoOp" asks for getLastError (p.72, p.80), whose "" ends the session: no request was
    # sent, so the loop (WC-01), a QuickBooks failure (WC-08) and the version (WC-16) were
    # not measured. Handing "NoOp" to QuickBooks passed WC-01 and WC-08 and failed WC-16.
    (field.NoOpWhenIdle, ("WC-01", "WC-08", "WC-16")),
]


@pytest.mark.parametrize(("kind", "behaviors"), NOTHING_MEASURED)
def test_a_service_with_no_work_to_show_is_inconclusive(
    kind: type[field.GuideService], behaviors: tuple[str, ...], tmp_path: Path
) -> None:
    cert = certify(kind, tmp_path)
    for behavior in behaviors:
        assert "inconclusive" in cert.statuses(behavior), (behavior, cert.output)
        assert not cert.statuses(behavior) & {"failed", "passed"}, (behavior, cert.output)


def test_a_fault_from_server_version_does_not_fail_the_session(tmp_path: Path) -> None:
    """The guide names no serverVersion rule (p.61 and p.66 make clientVersion optional;
    p.74's getServerVersion only feeds the More Information dialog). What real QBWC does
    when serverVersion faults is unconfirmed, so the session must not be failed for it."""
    assert "failed" not in certify(field.NoServerVersion, tmp_path).statuses("WC-01")


# --- violations: each must fail ----------------------------------------------------------


def test_serving_a_forged_ticket_fails(tmp_path: Path) -> None:
    """p.72: a ticket the service never issued gets "" from sendRequestXML."""
    cert = certify(field.ServesAnyTicket, tmp_path)
    assert "failed" in cert.statuses("WC-15"), cert.output
    assert "sendRequestXML" in cert.failures("WC-15")


def test_element_content_results_are_not_read_as_empty(tmp_path: Path) -> None:
    cert = certify(field.ElementContent, tmp_path)
    assert "passed" not in cert.statuses("WC-16"), cert.output
    assert "failed" in cert.statuses("WC-15"), cert.output
    assert "sendRequestXML" in cert.failures("WC-15"), cert.failures("WC-15")


def test_serving_a_closed_ticket_fails(tmp_path: Path) -> None:
    cert = certify(field.TicketsOutliveTheSession, tmp_path)
    assert "failed" in cert.statuses("WC-15"), cert.output


def test_crashing_on_a_quickbooks_error_fails(tmp_path: Path) -> None:
    """p.77: an hresult is an error to answer with a negative value, then getLastError."""
    cert = certify(field.CrashesOnQuickBooksError, tmp_path)
    assert cert.exit_code == 1, cert.output
    assert "receiveResponseXML" in cert.failures(), cert.failures()


def test_a_one_member_authenticate_answer_fails(tmp_path: Path) -> None:
    """The second member is the company file or a status (p.21); without it real QBWC
    fails authentication (RappidDevelopment/quickbooks-js pull request 28)."""
    cert = certify(field.OneMemberAuthenticate, tmp_path)
    assert "failed" in cert.statuses("WC-01"), cert.output
    assert "authenticate" in cert.failures("WC-01")


def test_the_field_services_use_no_project_code() -> None:
    """Importing them loads no harness or connector module (checked in a clean interpreter)."""
    here = Path(field.__file__).parent
    probe = (
        f"import sys; sys.path.insert(0, {str(here)!r}); import qbwc_field; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('harness', 'connector')))"
    )
    done = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_reporting_progress_on_a_quickbooks_error_fails(tmp_path: Path) -> None:
    """p.24, p.77: a non-empty hresult means QuickBooks failed the request; answering 100
    reports a sync that did not happen (altaraven/QBWCServer). It also serves any ticket."""
    cert = certify(field.IgnoresQuickBooksErrors, tmp_path)
    assert "failed" in cert.statuses("WC-08"), cert.output
    assert "receiveResponseXML#1.result" in cert.failures("WC-08"), cert.failures("WC-08")
    assert "failed" in cert.statuses("WC-15"), cert.output
    # "Connection Error" to connectionError is a retry with that "company file" (p.69, "any
    # string other than done"); the Web Connector bounds the retries (QBWC1013).
    ran = {row["id"]: row["status"] for row in cert.scenarios}
    assert ran["wc-10-quickbooks-not-running"] == "passed", cert.output


def test_a_fault_for_an_unknown_ticket_and_qbxml_16_fail(tmp_path: Path) -> None:
    """bill-ash/qbwc: p.72 asks for "" from sendRequestXML for an unknown or expired ticket
    (a fault shows QBWC1041); qbXML 16.0 to a QuickBooks that lists 12.0 (p.22, p.80); 100
    to a request QuickBooks failed (p.77-78)."""
    cert = certify(field.FaultsOnUnknownTicket, tmp_path)
    assert "failed" in cert.statuses("WC-15"), cert.output
    assert "QBWC1041" in cert.failures("WC-15"), cert.failures("WC-15")
    assert "failed" in cert.statuses("WC-16"), cert.output
    assert 'version="16.0"' in cert.failures("WC-16"), cert.failures("WC-16")
    assert "failed" in cert.statuses("WC-08"), cert.output


def test_one_counter_for_every_ticket_and_progress_on_a_failed_request_fail(
    tmp_path: Path,
) -> None:
    """qbws 0.2.1: the next of its three queries goes to whatever ticket asks (p.72: "" to a
    ticket that is not live), and a request QuickBooks failed is answered with the share
    sent, not a negative value (p.77-78)."""
    cert = certify(field.SampleQueriesForAnyTicket, tmp_path)
    assert "failed" in cert.statuses("WC-15"), cert.output
    assert '<?qbxml version="4.0"?>' in cert.failures("WC-15"), cert.failures("WC-15")
    assert "failed" in cert.statuses("WC-08"), cert.output
    assert "got 33" in cert.failures("WC-08"), cert.failures("WC-08")
    # "" then "DONE" to connectionError: a retry, then a stop (p.69; WC-10 as a whole also
    # counts wc-15-ticket-after-connection-error, failed above for the shared counter)
    ran = {row["id"]: row["status"] for row in cert.scenarios}
    assert ran["wc-10-quickbooks-not-running"] == "passed", cert.output


def test_django_quickbooks_verdicts(tmp_path: Path) -> None:
    """django-quickbooks 0.6.4.2 with work queued: the call order, -1 and "unexpected error"
    to a failed request (p.77-78), "done" to connectionError (p.69) and progress 100 pass;
    closeConnection("nvu") faults after ["nvu", "nvu"] (p.21: QBWC calls it; p.98: QBWC1044),
    a forged or closed ticket gets a fault and an ended one the queued request (p.72), and
    qbXML 13.0 goes to a QuickBooks listing 12.0 (p.22, p.80)."""
    cert = certify(field.FaultsOnItsOwnStatusTicket, tmp_path)
    for behavior in ("WC-01", "WC-08", "WC-17"):
        statuses = cert.statuses(behavior)
        assert "passed" in statuses and "failed" not in statuses, (behavior, cert.output)
    ran = {row["id"]: row for row in cert.scenarios}
    assert ran["wc-10-quickbooks-not-running"]["status"] == "passed", cert.output
    assert "failed" in cert.statuses("WC-02"), cert.output
    assert "QBWC1044" in cert.failures("WC-02"), cert.failures("WC-02")
    for scenario in ("wc-15-forged-ticket", "wc-15-closed-ticket-any-connector"):
        assert "QBWC1041" in str(ran[scenario]["failure"]), ran[scenario]
    after_error = str(ran["wc-15-ticket-after-connection-error"]["failure"])
    assert "<CustomerAdd>" in after_error, after_error
    assert 'version="13.0"' in cert.failures("WC-16"), cert.failures("WC-16")


def test_a_failed_close_after_none_measures_no_work(tmp_path: Path) -> None:
    """The same service with nothing queued: ["none", "none"], then closeConnection("none")
    faults (QBWC1044, p.98). The scenarios that need work proved nothing (p.21: no request
    pair follows "none"); before, WC-08, WC-10 and WC-16 failed on the close and WC-17
    passed on it. The fault still fails where the session's end is judged: WC-02 (the nvu
    close) and WC-15 (a closed ticket)."""
    cert = certify(field.FaultsOnItsOwnStatusTicketIdle, tmp_path)
    for behavior in ("WC-01", "WC-08", "WC-10", "WC-16", "WC-17"):
        statuses = cert.statuses(behavior)
        assert "inconclusive" in statuses, (behavior, cert.output)
        assert not statuses & {"passed", "failed"}, (behavior, cert.output)
    ran = {row["id"]: row for row in cert.scenarios}
    reason = str(ran["wc-17-session-ends-any-connector"]["reason"])
    assert "answered 'none' (nothing to do), then QBWC1044" in reason, reason
    assert "failed" in cert.statuses("WC-02"), cert.output
    assert "failed" in cert.statuses("WC-15"), cert.output


def test_a_needs_app_scenario_turned_away_busy_is_inconclusive(tmp_path: Path) -> None:
    """django-quickbooks answers "busy" to every login once a session of its realm was left
    open (a lost answer ends it without closeConnection): cus-01-export-all-customers then
    exchanged nothing, and failed CUS-01 for the earlier scenario's lock. "busy" is allowed
    (p.62); a scenario whose every session was turned away proved nothing."""
    server = serve_on_loopback(field.Busy())
    try:
        qwc = tmp_path / "field.qwc"
        qwc.write_text(QWC.format(url=f"{server.url}/qbwc", user=field.USER))
        caps = tmp_path / "caps.yaml"
        caps.write_text("product: busy field service\nclaims:\n  CUS-01: yes\n")
        out = tmp_path / "certify.json"
        scenario = REPO / "scenarios" / "customers" / "cus-01-export-all-customers.yaml"
        args = ["certify", "--qwc", str(qwc), "--capabilities", str(caps), str(scenario)]
        result = CliRunner().invoke(
            cli, [*args, "--json", str(out)], env={"QBWC_HARNESS_PASSWORD": field.PASSWORD}
        )
    finally:
        server.stop()
    assert out.exists(), result.output
    (row,) = json.loads(out.read_text())["scenarios"]
    assert row["status"] == "inconclusive", result.output
    assert row["cause"] == "busy" and "every session was turned away" in row["reason"], row
