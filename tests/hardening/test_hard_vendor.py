"""The harness as the client of a hostile vendor service (issue 23 items 4, 11, 17): no
redirect is followed, an answer's size after decompression and a call's wall time are
bounded, and a cut-off answer is called what it is. Each bound is small here so that the
attack ends in about a second; benchmarks/hostile_vendor.py measures the defaults."""

from __future__ import annotations

import gzip
import socket
import time

import pytest

from benchmarks.hostile_vendor import head, hostile_vendor
from harness.webconnector import HttpTransport
from harness.webconnector.errors import SoapCallError
from harness.webconnector.soap_client import QbwcSoapClient

PASSWORD = "Vendor-Must-Never-See-This-2"
AUTHENTICATE = {"strUserName": "harness", "strPassword": PASSWORD}


def authenticate(url: str, **transport: object) -> SoapCallError:
    client = QbwcSoapClient(url, HttpTransport(**transport))  # type: ignore[arg-type]
    with pytest.raises(SoapCallError) as caught:
        client.call("authenticate", AUTHENTICATE)
    return caught.value


@pytest.mark.parametrize("status", ["301 Moved Permanently", "307 Temporary Redirect", "308 X"])
def test_a_redirect_is_not_followed_and_the_password_stays_put(status: str) -> None:
    with hostile_vendor(lambda request, conn: conn.sendall(head("200 OK"))) as thief:
        location = f"Location: {thief.url.replace('localhost', '127.0.0.1')}/steal"

        def redirect(request: bytes, conn: socket.socket) -> None:
            conn.sendall(head(status, location, "Content-Length: 0"))

        with hostile_vendor(redirect) as vendor:
            error = authenticate(vendor.url)
        assert len(vendor.requests) == 1 and PASSWORD.encode() in vendor.requests[0]
    assert thief.requests == []  # nothing, the password least of all, went elsewhere
    assert error.kind == "http" and error.status == int(status[:3])
    assert "was not followed" in error.message and "/steal" in error.message


def endless(chunk: bytes, *headers: str):
    def answer(request: bytes, conn: socket.socket) -> None:
        conn.sendall(head("200 OK", "Content-Type: text/xml", *headers))
        while True:  # until the client hangs up (OSError ends the vendor's thread)
            conn.sendall(chunk)

    return answer


def test_an_endless_answer_is_cut_at_the_size_bound() -> None:
    with hostile_vendor(endless(b"<a>" * 20000)) as vendor:
        error = authenticate(vendor.url, max_answer_bytes=256 * 1024)
    assert "larger than 262144 bytes" in error.message


def test_a_gzip_bomb_is_cut_at_the_size_bound_after_decompression() -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))  # 64 MiB of zeros in about 64 KiB

    def answer(request: bytes, conn: socket.socket) -> None:
        conn.sendall(
            head(
                "200 OK",
                "Content-Type: text/xml",
                "Content-Encoding: gzip",
                f"Content-Length: {len(bomb)}",
            )
            + bomb
        )

    with hostile_vendor(answer) as vendor:
        error = authenticate(vendor.url, max_answer_bytes=1024 * 1024)
    assert len(bomb) < 1024 * 1024
    assert "larger than 1048576 bytes (after decompression)" in error.message


def slow_drip(request: bytes, conn: socket.socket) -> None:
    """One byte of the status line every 0.2 s: every socket read succeeds in time."""
    for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * 10_000:
        conn.sendall(bytes([byte]))
        time.sleep(0.2)


def test_a_slow_drip_is_cut_off_at_the_call_timeout() -> None:
    with hostile_vendor(slow_drip) as vendor:
        error = authenticate(vendor.url, timeout=1.0)
    assert error.kind == "connection"
    assert "took longer than 1 s" in error.message


def test_a_truncated_answer_is_reported_as_truncated() -> None:
    def answer(request: bytes, conn: socket.socket) -> None:
        conn.sendall(head("200 OK", "Content-Type: text/xml", "Content-Length: 5000") + b"<a/>")
        conn.shutdown(socket.SHUT_RDWR)

    with hostile_vendor(answer) as vendor:
        error = authenticate(vendor.url)
    assert "truncated answer" in error.message and "Unable to connect" not in error.message


@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "inf", "ten"])
def test_a_timeout_that_is_not_a_duration_is_refused(timeout: str) -> None:
    """A usage error (exit 2), never a run that blames the vendor for every call."""
    from click.testing import CliRunner

    from harness.cli import cli

    result = CliRunner().invoke(
        cli,
        ["certify", "--qwc", "docs/examples/vendor.qwc", "--password", "x", "--timeout", timeout],
    )
    assert result.exit_code == 2, result.output
    assert "--timeout" in result.output and "Traceback" not in result.output
