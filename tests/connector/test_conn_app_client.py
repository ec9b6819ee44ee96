"""AppClient's cookie jar reads only answers that set a cookie (a shortcut, benchmarks/
hotpaths.py): what it keeps and sends back must be what httpx's own jar would."""

from __future__ import annotations

import httpx

from connector.app_client import AppClient


def _client(answers: dict[str, dict[str, str]], seen: list[str]) -> AppClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie", ""))
        return httpx.Response(200, json={}, headers=answers.get(request.url.path, {}))

    return AppClient(transport=httpx.MockTransport(handle))


def test_a_cookie_the_app_sets_is_sent_back_and_kept_over_answers_without_one() -> None:
    seen: list[str] = []
    client = _client({"/api/v1/settings": {"Set-Cookie": "route=a1; Path=/"}}, seen)
    client.settings()  # sets the cookie
    client.get("customers", "c1")  # no Set-Cookie: the jar keeps it
    client.get("customers", "c2")
    assert seen == ["", "route=a1", "route=a1"]


def test_a_later_set_cookie_replaces_the_value() -> None:
    seen: list[str] = []
    client = _client(
        {
            "/api/v1/settings": {"Set-Cookie": "route=a1; Path=/"},
            "/api/v1/customers/c1": {"set-cookie": "route=b2; Path=/"},
        },
        seen,
    )
    client.settings()
    client.get("customers", "c1")
    client.get("customers", "c2")
    assert seen == ["", "route=a1", "route=b2"]
