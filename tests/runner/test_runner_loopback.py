"""harness.serve: a loopback server stops, whatever state its loop's wake-up pipe is in."""

from __future__ import annotations

import os

import httpx

from harness.serve import serve_on_loopback


def _hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_a_loopback_server_stops_and_frees_its_thread():
    server = serve_on_loopback(_hello)
    assert httpx.get(server.url).text == "hello"
    server.stop()
    assert not server._thread.is_alive()


def test_it_stops_even_when_the_wake_up_pipe_is_already_closed():
    """The CI failure this guards: pulling the trigger raised EBADF and stop() raised."""
    server = serve_on_loopback(_hello)
    assert httpx.get(server.url).text == "hello"
    os.close(server._server.trigger.trigger)  # the write end waitress wakes its loop with
    server.stop()
    server._thread.join(timeout=5)
    assert not server._thread.is_alive()
