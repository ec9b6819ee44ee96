"""The external target: a QBWC service that is not ours, reached at its URL."""

from __future__ import annotations

from typing import Any

from harness.webconnector import HttpTransport, QwcFile
from harness.world.target import RestartUnsupported


class ExternalConnector:
    """A QBWC service that is not ours (``qbwc-harness certify``): reached over HTTP(S) at
    its URL, with the .qwc file its vendor ships. The harness cannot restart it, configure
    it or see its app side; scenarios that need that are skipped by the certify run."""

    def __init__(
        self,
        url: str,
        password: str,
        qwc: QwcFile | None = None,
        *,
        verify: bool | str = True,
        timeout: float = 30.0,
    ) -> None:
        self.url = url
        self.password = password
        self.verify = verify
        self.timeout = timeout
        self.qwc_fields = qwc_fields(qwc) if qwc is not None else {}

    def transport(self) -> Any:
        return HttpTransport(verify=self.verify, timeout=self.timeout)

    def restart(self) -> None:
        raise RestartUnsupported(f"the connector at {self.url} cannot be restarted by the harness")

    def close(self) -> None:
        """Nothing to stop: the service runs on its own and outlives the scenario."""


def qwc_fields(qwc: QwcFile) -> dict[str, Any]:
    """A loaded .qwc as the element values ``render_qwc`` writes (AppURL/AppSupport aside:
    the world points both at the connector's URL)."""
    return {
        "AppName": qwc.app_name,
        "AppID": qwc.app_id,
        "AppDescription": qwc.app_description,
        "UserName": qwc.user_name,
        "OwnerID": qwc.owner_id,
        "FileID": qwc.file_id,
        "QBType": qwc.qb_type,
        "IsReadOnly": qwc.is_read_only or None,
        "RunEveryNMinutes": None,
        "RunEveryNSeconds": qwc.run_every_seconds,
    }
