"""HTTPS for ``connector serve``: cheroot's TLS adapter with the handshake moved out of
the accept loop.

cheroot's ``BuiltinSSLAdapter`` completes the TLS handshake in the thread that accepts
connections, so one client that opens a TCP connection and sends nothing stalled every
other client for the whole socket timeout (issue 23 item 8: about 10 s each). Here the
socket is wrapped without a handshake; OpenSSL performs it on the first read, in the
worker thread that serves the connection, bounded by the same timeout.
"""

from __future__ import annotations

import socket
import ssl
from typing import Any

from cheroot.ssl.builtin import BuiltinSSLAdapter


class DeferredHandshakeAdapter(BuiltinSSLAdapter):
    def wrap(self, sock: socket.socket) -> tuple[ssl.SSLSocket, dict[str, Any]]:
        wrapped = self.context.wrap_socket(sock, do_handshake_on_connect=False, server_side=True)
        # cheroot's environ reads the negotiated cipher, unknown before the handshake; the
        # connector needs only the scheme.
        return wrapped, {"wsgi.url_scheme": "https", "HTTPS": "on"}
