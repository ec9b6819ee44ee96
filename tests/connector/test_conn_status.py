"""The status page (connector.status): content, credentials, read-only, no secret on it."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace
from typing import Any

import httpx
import pytest
from lxml import html as lxml_html
from status_support import (
    HELD_REF,
    HELD_WHY,
    PASSWORD,
    USER,
    Worked,
    basic,
    worked_connector,
)

from connector.app_client import AppClient
from connector.status.basic_auth import basic_credentials
from connector.status.html import render_html
from connector.status.view import build_view
from connector.store import Attempt, Store, stored_ticket_ref, ticket_key
from qbwc_wire import ticket_ref


@pytest.fixture(scope="module")
def worked() -> Worked:
    return worked_connector()


def _json(worked: Worked) -> dict[str, Any]:
    answer = worked.get("/status.json")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    data: dict[str, Any] = json.loads(answer.get_data(as_text=True))
    return data


def _record(data: dict[str, Any], entity: str) -> dict[str, Any]:
    return next(r for r in data["records"] if r["entity"] == entity)


def test_the_sessions_are_named_by_their_ticket_ref(worked: Worked) -> None:
    data = _json(worked)
    # Newest first; each session as the log names it, never by its ticket.
    assert [s["session"] for s in data["sessions"]] == [
        ticket_ref(t) for t in reversed(worked.tickets)
    ]
    assert all(s["user"] == USER and s["closed"] for s in data["sessions"])
    assert all(s["done"] == s["total"] and s["total"] > 0 for s in data["sessions"])


def test_each_record_shows_its_status_and_the_exact_qbxml_status(worked: Worked) -> None:
    data = _json(worked)
    customer = _record(data, "customer")
    assert customer["status"] == "synced"
    add = customer["attempts"][0]
    assert (add["request"], add["outcome"]) == ("CustomerAddRq", "synced")
    assert (add["status_code"], add["status_message"]) == (0, "Status OK")
    assert add["session"] == ticket_ref(worked.tickets[0])
    invoice = _record(data, "invoice")
    assert [a["session"] for a in invoice["attempts"]] == [ticket_ref(t) for t in worked.tickets]


def test_a_quickbooks_only_record_is_shown_held_with_its_reason(worked: Worked) -> None:
    data = _json(worked)
    payment = _record(data, "payment")
    assert payment["status"] == "failed"
    assert payment["attempts"][-1]["status_message"] == HELD_WHY
    assert [(h["entity"], h["record_id"], h["why"]) for h in data["held"]] == [
        ("payment", payment["record_id"], HELD_WHY)
    ]
    [issue] = data["app_issues"]
    assert (issue["entity"], issue["side"], issue["quickbooks_only"]) == ("payment", "qbd", True)
    assert (issue["reference"], issue["why"]) == (HELD_REF, HELD_WHY)
    assert data["in_doubt"] == []


def test_the_html_shows_the_same_content(worked: Worked) -> None:
    answer = worked.get("/status")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
    page = lxml_html.fromstring(answer.get_data(as_text=True))
    sessions = page.xpath('//section[@id="sessions"]//tr[td]')
    assert [row.xpath("td[1]")[0].text for row in sessions] == [
        ticket_ref(t) for t in reversed(worked.tickets)
    ]
    held = page.xpath('//section[@id="held"]//tr[td]')
    texts = [[td.text_content() for td in row.xpath("td")] for row in held]
    assert texts[1][:4] == ["payment", "QuickBooks only", HELD_REF, HELD_WHY]
    assert HELD_WHY in texts[0]
    summaries = [s.text_content() for s in page.xpath('//section[@id="records"]//summary')]
    assert any(s.startswith("customer ") and ": synced" in s for s in summaries)
    assert "Status OK" in page.xpath('//section[@id="records"]')[0].text_content()


def test_no_ticket_or_password_is_on_the_page(worked: Worked) -> None:
    pages = [worked.get(path).get_data(as_text=True) for path in ("/status", "/status.json")]
    assert len(worked.tickets) == 2
    for text in pages:
        assert PASSWORD not in text
        for ticket in worked.tickets:
            assert ticket not in text
            # Nor the store's key of it: only the 12-digit reference.
            assert ticket_key(ticket).removeprefix("\x01sha256:") not in text
            assert ticket_ref(ticket) in text


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        basic(USER, "wrong password"),
        basic("nobody", PASSWORD),
        "Basic not-base64!",
        "Bearer " + PASSWORD,
    ],
    ids=["none", "wrong-password", "unknown-user", "malformed", "other-scheme"],
)
@pytest.mark.parametrize("path", ["/status", "/status.json"])
def test_without_the_service_credentials_401(
    worked: Worked, authorization: str | None, path: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    answer = worked.get(path, auth=None, headers=headers, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith('Basic realm="')
    assert "Recent sessions" not in answer.get_data(as_text=True)
    assert '"sessions"' not in answer.get_data(as_text=True)


def test_failed_status_logins_count_against_authenticate_too() -> None:
    worked = worked_connector()
    sessions = worked.wsgi.sessions
    source = {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(sessions.settings.max_failed_logins):
        wrong = worked.get("/status", auth=(USER, "guess"), environ_base=source)
        assert wrong.status_code == 401
    # Over the limit: the right password is refused from that address, on both doors...
    assert worked.get("/status", environ_base=source).status_code == 401
    assert sessions.authenticate(USER, PASSWORD, "10.1.2.3")[1] == "nvu"
    # ...and only from that one.
    assert worked.get("/status", environ_base={"REMOTE_ADDR": "10.1.2.4"}).status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_page_is_read_only(worked: Worked, method: str) -> None:
    from werkzeug.test import Client

    answer = Client(worked.wsgi).open(
        "/status", method=method, headers={"Authorization": basic(USER, PASSWORD)}
    )
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, HEAD"


def test_head_answers_without_a_body(worked: Worked) -> None:
    from werkzeug.test import Client

    answer = Client(worked.wsgi).open(
        "/status", method="HEAD", headers={"Authorization": basic(USER, PASSWORD)}
    )
    assert answer.status_code == 200
    assert answer.get_data() == b""


def test_other_paths_still_reach_the_service(worked: Worked) -> None:
    assert worked.get("/health", auth=None).status_code == 200
    assert worked.get("/?wsdl", auth=None).status_code == 200


# -- the pieces ------------------------------------------------------------------------


def _app_down() -> AppClient:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": {"code": "down", "message": "down"}})

    return AppClient(transport=httpx.MockTransport(refuse))


def test_a_user_of_one_company_sees_that_company_only() -> None:
    store = Store()
    for company in ("c:\\a.qbw", "c:\\b.qbw"):
        store.open_ticket(f"t-{company}", "u", company.upper(), "2026-01-01T00:00:00")
        store.record_attempt(
            company,
            Attempt("customer", f"id-{company}", "2026-01-01T00:00:01", f"t-{company}", "CustomerAddRq", "failed", 3100, "in use"),
        )  # fmt: skip
        store.mark_in_doubt(company, "invoice", f"i-{company}", f"t-{company}", "2026-01-01")
    view = build_view(store, _app_down(), company="c:\\a.qbw", now="now")
    assert [s.company_file for s in view.sessions] == ["C:\\A.QBW"]
    assert [r.record_id for r in view.records] == ["id-c:\\a.qbw"]
    assert [(h.status_code, h.why) for h in view.held] == [(3100, "in use")]
    assert [w.app_id for w in view.in_doubt] == ["i-c:\\a.qbw"]
    assert view.in_doubt[0].session == ticket_ref("t-c:\\a.qbw")
    every = build_view(store, _app_down(), company="", now="now")
    assert len(every.sessions) == len(every.records) == len(every.in_doubt) == 2


def test_an_app_that_does_not_answer_leaves_the_rest_of_the_page() -> None:
    view = build_view(Store(), _app_down(), company="", now="now")
    assert view.app_issues is None
    assert "The app did not answer" in render_html(view)


def test_a_record_shows_its_latest_attempts_and_how_many_it_has() -> None:
    store = Store()
    for n in range(25):
        attempt = Attempt(
            "customer", "c1", f"at-{n:02}", "t", "CustomerAddRq", "retry", 3180, f"m{n}"
        )
        store.record_attempt("co", attempt)
    [history] = store.recent_histories(records=5, attempts=20, company="co")
    assert history.total == 25
    assert [a.status_message for a in history.attempts] == [f"m{n}" for n in range(5, 25)]


def test_the_stored_ticket_ref_is_the_logs_ticket_ref() -> None:
    for ticket in ("abc", "{0A1B-...}", "ünïcode"):
        assert stored_ticket_ref(ticket_key(ticket)) == ticket_ref(ticket)
        assert stored_ticket_ref(ticket) == ticket_ref(ticket)


def _hostile(value: object) -> object:
    """Every text field of a view made a piece of markup, recursively."""
    if isinstance(value, str):
        return '<script>alert("x")</script><b>&amp;\'</b>'
    if isinstance(value, list):
        return [_hostile(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _hostile(getattr(value, f.name)) for f in fields(value)})
    return value


def test_every_value_is_escaped_in_the_html() -> None:
    store = Store()
    store.open_ticket("t", "u", "c", "2026-01-01T00:00:00")
    store.record_attempt(
        "c", Attempt("customer", "c1", "at", "t", "CustomerAddRq", "failed", 3100, "m")
    )
    store.mark_in_doubt("c", "customer", "c2", "t", "at")
    issues = [{"key": "k", "entity": "e", "side": "qbd", "reference": "r", "error": "x"}]
    app = AppClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=issues)))
    view = _hostile(build_view(store, app, company="c", now="now"))
    text = render_html(view)  # type: ignore[arg-type]
    assert "<script" not in text and "<b>" not in text
    page = lxml_html.fromstring(text)
    assert page.xpath("//script") == [] and page.xpath("//b") == []
    cells = [td.text_content() for td in page.xpath("//td")]
    # Each text field arrives as the text it was: a session's 6, a held record's 6, an app
    # issue's 5 (its side reads "QuickBooks only"), a write in doubt's 5, an attempt's 5.
    assert cells.count('<script>alert("x")</script><b>&amp;\'</b>') == 6 + 6 + 5 + 5 + 5
    summary = page.xpath("//summary")[0].text_content()
    assert summary.count('<script>alert("x")</script>') == 4  # entity, ID, status, company


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (basic("u", "p:with:colons"), ("u", "p:with:colons")),
        (basic("ü", "pässword"), ("ü", "pässword")),
        ("basic " + basic("u", "p").split()[1], ("u", "p")),
        ("Basic dTpwcQ", None),  # "u:pq" without its padding is not valid base64
        ("Basic " + "dXNlcg==", None),  # "user": no colon
        ("", None),
    ],
)
def test_basic_credentials(header: str, expected: tuple[str, str] | None) -> None:
    assert basic_credentials(header) == expected


def test_a_lost_answer_is_shown_in_doubt_until_a_later_session_settles_it() -> None:
    from harness.webconnector import Faults

    worked = worked_connector()
    worked.app.create_customer("Lost Answer Ltd")
    broken = worked.session(Faults().drop_after_apply(request="CustomerAdd"))
    assert broken.outcome.status != "completed"
    data = _json(worked)
    [write] = data["in_doubt"]
    assert write["entity"] == "customer"
    assert write["session"] == ticket_ref(worked.tickets[-1])
    page = lxml_html.fromstring(worked.get("/status").get_data(as_text=True))
    rows = page.xpath('//section[@id="in-doubt"]//tr[td]')
    assert [[td.text_content() for td in row.xpath("td")][1:4] for row in rows] == [
        ["customer", write["app_id"], ticket_ref(worked.tickets[-1])]
    ]

    assert worked.session().outcome.status == "completed"
    data = _json(worked)
    assert data["in_doubt"] == []
    record = next(r for r in data["records"] if r["record_id"] == write["app_id"])
    assert record["status"] == "adopted"
    assert record["attempts"][-1]["session"] == ticket_ref(worked.tickets[-1])
