"""One broken connector per QBWC rule (BEHAVIORS.md WC-01..WC-17), and the check that the
protocol scenario for that rule fails against it with what the real Web Connector would
show: the QBWC error code when the client shows one (QBWC1012, QBWC1041, ...), otherwise
the outcome or call that differs. Never a traceback: each result is "failed", not "error".

Each variant subclasses ``connector.session.QbwcSessions`` and overrides the one callback
it breaks (``mutation.with_sessions``); an exception raised in a callback reaches the Web
Connector as a SOAP Fault, as it would from a crashing server.
"""

from __future__ import annotations

from typing import Any

import pytest

from connector.session import AUTH_NOTHING_TO_DO, QbwcSessions
from harness.world import HARNESS_PASSWORD
from tests.variants.mutation import failure_text, run_with, with_sessions

PROTOCOL = "protocol/"


# -- the variants ---------------------------------------------------------------------------


class CloseConnectionCrashes(QbwcSessions):
    """WC-01: the session's last call, closeConnection, throws."""

    def close_connection(self, ticket: str) -> str:
        raise RuntimeError("session already gone")


class ThrottlesAutoRun(QbwcSessions):
    """WC-13: tells the Web Connector to run at most hourly, whatever the .qwc says."""

    def _auth_answer(self, ticket: str, second: str) -> list[str]:
        return [ticket, second, "", "3600"]


class AcceptsAnyPassword(QbwcSessions):
    """WC-02: never answers "nvu"; a wrong password logs in as the user."""

    def authenticate(self, username: str, password: str, source: str = "") -> list[str]:
        return super().authenticate(username, HARNESS_PASSWORD, source)


class NvuWithoutTicket(QbwcSessions):
    """WC-02: answers a bad login with ["nvu"] alone (one member, no ticket)."""

    def authenticate(self, username: str, password: str, source: str = "") -> list[str]:
        answer = super().authenticate(username, password, source)
        return answer[1:] if answer[1] == "nvu" else answer


class NeverSaysNone(QbwcSessions):
    """WC-03: with nothing to do, hands out a ticket it already closed instead of "none"."""

    def authenticate(self, username: str, password: str, source: str = "") -> list[str]:
        answer = super().authenticate(username, password, source)
        return [answer[0], ""] if answer[1] == AUTH_NOTHING_TO_DO else answer


class NeverBusy(QbwcSessions):
    """WC-04 / WC-14: no lock on the company file; every session runs at once."""

    def _company_busy(self, company_file: str, username: str, besides: str = "") -> bool:
        return False


class WrongCompanyFile(QbwcSessions):
    """WC-05: sends a hard-coded company file instead of the user's."""

    def authenticate(self, username: str, password: str, source: str = "") -> list[str]:
        answer = super().authenticate(username, password, source)
        if answer[1].lower() not in ("nvu", "none", "busy"):
            answer[1] = r"C:\QuickBooks\Old Company.QBW"
        return answer


class MinRunIntervalAsText(QbwcSessions):
    """WC-06: writes the minimum run interval as "15m", not whole seconds."""

    def _auth_answer(self, ticket: str, second: str) -> list[str]:
        return [ticket, second, "", "15m"]


class CrashesWithoutHcp(QbwcSessions):
    """WC-07: expects strHCPResponse on every sendRequestXML and crashes on ""."""

    def send_request_xml(self, ticket: str, hcp_response: str, *args: Any) -> str:
        if not hcp_response:
            raise KeyError("HostRet")
        return super().send_request_xml(ticket, hcp_response, *args)


class DoneDespiteError(QbwcSessions):
    """WC-08: answers 100 when QuickBooks failed the request (the error is swallowed)."""

    def receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        result = super().receive_response_xml(ticket, response, hresult, message)
        return 100 if hresult else result


class CrashesOnHresult(QbwcSessions):
    """WC-08: crashes when receiveResponseXML carries an HRESULT instead of a response."""

    def receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        if hresult:
            raise ValueError(f"cannot parse {response!r}")
        return super().receive_response_xml(ticket, response, hresult, message)


class GetLastErrorCrashes(QbwcSessions):
    """WC-09: getLastError fails, so the user never learns why the loop ended."""

    def get_last_error(self, ticket: str) -> str:
        raise RuntimeError("no error text stored")


class ConnectionErrorCrashes(QbwcSessions):
    """WC-10: connectionError is not implemented properly and throws."""

    def connection_error(self, ticket: str, hresult: str, message: str) -> str:
        raise NotImplementedError("connectionError")


class RetriesWithTheOpenFile(QbwcSessions):
    """Not broken: answers connectionError "" (retry with the company file QuickBooks has
    open), as Intuit's sample does for errors it does not stop on (guide p.70)."""

    def connection_error(self, ticket: str, hresult: str, message: str) -> str:
        super().connection_error(ticket, hresult, message)
        return ""


class ForgetsWorkAfterConnectionError(QbwcSessions):
    """WC-10: a failed connection marks the run's work as done, so it is never sent."""

    def connection_error(self, ticket: str, hresult: str, message: str) -> str:
        self.lost = True
        return super().connection_error(ticket, hresult, message)

    def send_request_xml(self, ticket: str, *args: Any, **kwargs: Any) -> str:
        if getattr(self, "lost", False):
            return ""
        return super().send_request_xml(ticket, *args, **kwargs)


class IgnoresClientVersion(QbwcSessions):
    """WC-11: answers "" to every Web Connector version, whatever it is configured to need."""

    def client_version(self, version: str) -> str:
        return ""


class WarnsWithoutPrefix(QbwcSessions):
    """WC-11: a refusal written without its "E:" prefix, so QBWC goes on regardless."""

    def client_version(self, version: str) -> str:
        return super().client_version(version).removeprefix("E:")


class AbortsOnRefusedWrite(QbwcSessions):
    """WC-12: a write refused by a read-only file ends the whole session with an error, so
    the reads after it never run and the record is not held as failed."""

    def receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        if 'statusCode="3260"' in response:
            self.store.set_last_error(ticket, "QuickBooks refused a write")
            return -1
        return super().receive_response_xml(ticket, response, hresult, message)


class CrashesOnUnknownTicket(QbwcSessions):
    """WC-15: looks the ticket up without checking that it exists."""

    def send_request_xml(self, ticket: str, *args: Any) -> str:
        if self.store.get_ticket(ticket) is None:
            raise LookupError(ticket)
        return super().send_request_xml(ticket, *args)


class AlwaysNewestVersion(QbwcSessions):
    """WC-16: writes its own newest qbXML version whatever the file supports."""

    def _negotiate(self, hcp_response: str, major: int, minor: int) -> Any:
        return super()._negotiate("", 0, 0)


class DoneAfterFirstResponse(QbwcSessions):
    """WC-17 / WC-08: says 100 after the first response although work remains."""

    def receive_response_xml(self, ticket: str, response: str, hresult: str, message: str) -> int:
        result = super().receive_response_xml(ticket, response, hresult, message)
        return 100 if result >= 0 else result


# -- which scenario catches which variant, and what it shows ----------------------------------

CASES = [
    # (variant, scenario, text the failure must show)
    (CloseConnectionCrashes, "wc-01-session-call-order", "QBWC1044"),
    (ThrottlesAutoRun, "wc-13-auto-run", "transcript.sessions: expected 4, got 1"),
    (
        AcceptsAnyPassword,
        "wc-02-wrong-password",
        "expected \"one of ['nvu', 'postponed']\", got 'completed",
    ),
    (NvuWithoutTicket, "wc-02-wrong-password", "QBWC1012"),
    (NeverSaysNone, "wc-03-nothing-to-do", "expected 'none', got 'error (Unknown or closed ticket"),
    (NeverBusy, "wc-04-busy-then-retry", "expected 'busy', got 'completed"),
    (WrongCompanyFile, "wc-05-company-file-path", "QBWC1013"),
    (MinRunIntervalAsText, "wc-06-minimum-run-interval", "QBWC1012"),
    (CrashesWithoutHcp, "wc-07-hcp-response-first-call", "QBWC1041"),
    (
        DoneDespiteError,
        "wc-08-negative-means-error",
        "transcript.outcome: expected 'error', got 'completed",
    ),
    (CrashesOnHresult, "wc-08-negative-means-error", "QBWC1042"),
    (CrashesOnHresult, "wc-08-quickbooks-busy-mid-session", "QBWC1042"),
    (GetLastErrorCrashes, "wc-09-empty-request-ends-loop", "QBWC1043"),
    (ConnectionErrorCrashes, "wc-10-quickbooks-not-running", "QBWC1045"),
    (
        ForgetsWorkAfterConnectionError,
        "wc-10-retry-after-connection-error",
        "transcript.requests.CustomerAdd: expected 1, got 0",
    ),
    (
        IgnoresClientVersion,
        "wc-11-client-version-too-old",
        "transcript.code: expected 'QBWC1037', got None",
    ),
    (
        WarnsWithoutPrefix,
        "wc-11-client-version-refused",
        "transcript.code: expected 'QBWC1037', got None",
    ),
    (
        AbortsOnRefusedWrite,
        "wc-12-read-only",
        "expected 'completed', got 'error (QuickBooks refused",
    ),
    (NeverBusy, "wc-14-two-computers-serialized", "expected 'busy', got 'completed"),
    (NeverBusy, "wc-14-two-computers-same-user", "expected 'error', got 'completed"),
    (CrashesOnUnknownTicket, "wc-15-forged-ticket", "QBWC1041"),
    (AlwaysNewestVersion, "wc-16-qbxml-version", "0x80040423"),
    (AlwaysNewestVersion, "wc-16-any-connector", "transcript.sendRequestXML#1.result"),
    (DoneAfterFirstResponse, "wc-17-progress", "transcript.progress"),
]


@pytest.mark.parametrize(
    ("variant", "scenario", "shows"), CASES, ids=[f"{s}-{v.__name__}" for v, s, _ in CASES]
)
def test_the_rules_scenario_catches_the_broken_connector(
    variant: type[QbwcSessions], scenario: str, shows: str
) -> None:
    result = run_with(with_sessions(variant), f"{PROTOCOL}{scenario}.yaml")
    text = failure_text(result)
    assert result.status == "failed", f"{variant.__name__}: {result.status}\n{text}{result.reason}"
    assert shows in text, text
    assert "Traceback" not in text


def test_every_wc_rule_has_a_scenario_that_passes_against_the_reference_connector() -> None:
    from harness.scenario import default_registry, discover, load_scenario

    covered: set[str] = set()
    for path in discover([run_with.__globals__["SCENARIOS"] / "protocol"]):
        loaded = load_scenario(path, default_registry())
        covered.update(loaded.scenario.behaviors)
    assert {f"WC-{n:02d}" for n in range(1, 18)} <= covered


def test_a_retry_with_the_open_file_passes_the_retry_scenario() -> None:
    """Guide p.69: any answer but "done" is a company file to retry with, "" the open one
    (Intuit's sample, p.70); the dialog closed, the retry syncs in the same run, once."""
    result = run_with(
        with_sessions(RetriesWithTheOpenFile), f"{PROTOCOL}wc-10-retry-after-connection-error.yaml"
    )
    assert result.status == "passed", failure_text(result)
