"""The status page: what the reference connector did, for the person running it.

``GET /status`` (HTML) and ``GET /status.json`` (the same content as JSON) show the recent
sessions, each record's sync status and attempts with QuickBooks' exact statusCode and
statusMessage, the records held back and why, and the writes in doubt. Read-only, behind
the credentials the Web Connector logs in with (HTTP Basic over ``check_login``), and with
no secret on it: a session is named by its ``ticket_ref``, never by its ticket.

One job per module: ``view`` gathers the content, ``html`` and ``json_view`` render it,
``basic_auth`` reads the credentials, ``route`` serves it all (docs/connector.md).
"""

from connector.status.route import STATUS_JSON_PATH, STATUS_PATH, StatusPage

__all__ = ["STATUS_JSON_PATH", "STATUS_PATH", "StatusPage"]
