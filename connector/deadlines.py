"""How long a client of ``connector serve`` may take to send one request (issue 23 item 8).

A per-read timeout alone lets a client that sends one byte just before each timeout keep
its connection, and under cheroot (HTTPS) a worker thread, for as long as it likes. Both
servers therefore also bound the whole request, counted from the moment the request starts
arriving (under waitress, for a new connection, from the moment it was accepted):

- its head (request line and headers) within ``HEAD_SECONDS``: the .NET client writes the
  head of a SOAP call in one go, right after connecting;
- the head and its body within ``REQUEST_SECONDS``: a body is at most
  ``max_request_bytes`` (10 MiB by default), which takes 60 s at about 1.4 Mbit/s; a
  Web Connector's answer to one qbXML request of ``page_size`` (100) records is a few
  hundred KiB.

A client that overruns either is disconnected (cheroot answers 408 first). Waiting between
requests on a kept-alive connection is not counted: that idle time has its own bound
(``connector.cli``).
"""

from __future__ import annotations

HEAD_SECONDS = 10.0
REQUEST_SECONDS = 60.0
