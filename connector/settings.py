"""ConnectorSettings: everything the reference connector is configured with.

Loaded from Python (tests, scenarios) or from a YAML/JSON file (``connector serve
--config``). Passwords are hashed as soon as a user is built; the plain text never reaches
a repr, a log line or the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import httpx
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from connector.inventory_settings import InventorySettings
from connector.limits import DEFAULT_MAX_REQUEST_BYTES
from connector.passwords import hash_password, is_password_hash, verify_password


def parse_client_version(text: str) -> tuple[int, ...] | None:
    """'2.3.0.36' -> (2, 3, 0, 36); None when it is not dotted numbers."""
    parts = text.strip().split(".")
    if not text.strip() or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


class SettingsError(ValueError):
    """A settings file or value the connector cannot run with; the message says why."""


Direction = Literal["both", "to_qbd", "from_qbd", "off"]
Master = Literal["app", "qbd"]


class ConnectorUser(BaseModel):
    """A Web Connector user, as named in the .qwc file's UserName (guide p.33-39)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    username: str = Field(min_length=1)
    # Stored hashed; given in plain text it is hashed on load (see _hash_password).
    password: str = Field(min_length=1, repr=False)
    #: Company file this user syncs; "" = whatever file is open (guide p.21-22).
    company_file: str = ""

    @field_validator("password")
    @classmethod
    def _hash_password(cls, value: str) -> str:
        return value if is_password_hash(value) else hash_password(value)

    def check_password(self, password: str) -> bool:
        return verify_password(password, self.password)


class ConnectorSettings(BaseModel):
    """Settings of one connector instance."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    #: SQLite database: ":memory:" (the default, for tests) or a file path for durability.
    db_path: str = ":memory:"
    users: list[ConnectorUser] = Field(default_factory=list)
    #: The field-service app API, e.g. "http://localhost:8000" (the /api/v1 prefix is added).
    app_base_url: str | None = None
    #: Or an in-process transport (httpx.WSGITransport(app.wsgi)); not loadable from a file.
    app_transport: httpx.BaseTransport | None = Field(default=None, exclude=True, repr=False)
    #: The newest qbXML version the connector writes; lowered to what the file supports.
    qbxml_version: str = "13.0"
    #: A preset of the settings below (``connector.profiles``); explicit settings win.
    profile: str = "default"
    #: The QuickBooks service item that app invoice lines are mapped to.
    default_service_item: str = Field(default="Services", min_length=1, max_length=31)
    #: Pull payments received in QuickBooks into the app (and their deletions).
    sync_payments_from_qbd: bool = True
    #: Push payments recorded in the app to QuickBooks; the app's sync_manual_payments
    #: setting and each payment's sync_to_qbd override decide which (BEHAVIORS.md PAY-12).
    sync_payments_to_qbd: bool = True
    #: The QuickBooks account received payments go to when the app names none (its
    #: payments_account setting wins); None = Undeposited Funds. Only a Bank or Other
    #: Current Asset account is accepted, checked in QuickBooks before any payment is sent
    #: (BEHAVIORS.md PAY-14).
    payments_account: str | None = Field(default=None, min_length=1, max_length=159)
    #: The bank account that deposits of synced payments go to when the app names none (its
    #: deposit_account setting wins); None = no deposits (PAY-15).
    deposit_account: str | None = Field(default=None, min_length=1, max_length=159)
    #: A session idle this long no longer blocks another Web Connector on the same file.
    ticket_timeout_seconds: int = Field(default=1800, gt=0)
    #: The largest SOAP request accepted, in bytes: larger ones get HTTP 413 before they are
    #: parsed (connector.limits).
    max_request_bytes: int = Field(default=DEFAULT_MAX_REQUEST_BYTES, ge=4096)
    #: After this many failed logins of one user name within failed_login_window_seconds,
    #: that user's logins are refused until the window has passed (connector.limits).
    max_failed_logins: int = Field(default=5, gt=0)
    failed_login_window_seconds: int = Field(default=300, gt=0)
    #: The version string answered to serverVersion.
    server_version: str = "qbwc-harness reference connector 0.1.0"
    #: Web Connector versions older than this get clientVersion "O:<version>": the update
    #: stops and the user is told which version is needed (guide p.21, p.66).
    min_client_version: str | None = None
    #: Versions older than this get "W:<text>": the user is warned and may go on (p.66).
    recommended_client_version: str | None = None
    #: Exact versions refused with "E:<text>" (a known-bad Web Connector build; p.66).
    blocked_client_versions: list[str] = Field(default_factory=list)
    #: authenticate's 4th member: the shortest interval, in seconds, between automatic runs
    #: the Web Connector should use (guide p.62-63); None sends no such member.
    min_run_interval_seconds: int | None = Field(default=None, gt=0)

    # -- customers and invoices (connector.sync; presets in connector.profiles) ----------
    #: Which way customers flow: both, to_qbd, from_qbd or off. The reference default is
    #: two-way; a profile (connector.profiles) reproduces a product's one-way limitation.
    customer_direction: Direction = "both"
    #: Which way invoices flow: both, to_qbd, from_qbd or off (default: two-way, as above).
    invoice_direction: Direction = "both"
    #: Who wins when a customer changed on both sides between syncs (BEHAVIORS.md SYNC-02).
    customer_master: Master = "app"
    #: Who wins when an invoice changed on both sides between syncs (SYNC-02).
    invoice_master: Master = "app"
    #: "Customer master sync" (CUS-05): every app customer goes to QuickBooks; off, only the
    #: customers that invoices need.
    customer_master_sync: bool = True
    #: App edits of synced customers go to QuickBooks on their own; off, only with an
    #: invoice of theirs (Syncro, seeds/002 note **).
    sync_customer_edits: bool = True
    #: Invoices with a $0 total sync (IVC-02); off, they are marked Skipped.
    sync_zero_invoices: bool = True
    #: An invoice deleted in the app is "delete"d (TxnDel) or "void"ed (TxnVoid) in
    #: QuickBooks (IVC-03).
    app_invoice_deletion: Literal["delete", "void"] = "delete"
    #: The first pull of QuickBooks invoices takes this many recent months, then the older
    #: history in later steps (IVC-11, seeds/004).
    initial_sync_months: int = Field(default=12, gt=0)
    #: Records per page of a QuickBooks query iterator (large reads, resumable).
    page_size: int = Field(default=100, gt=0, le=1000)
    #: App store credits go to QuickBooks as credit memos (IVC-10).
    sync_credit_memos: bool = True
    #: The QuickBooks sales tax item put on pushed invoices (ItemSalesTaxRef); None leaves
    #: the customer's own tax item. Taxable app lines carry SalesTaxCodeRef "Tax", the
    #: others "Non"; QuickBooks computes the tax (IVC-13).
    sales_tax_item: str | None = Field(default=None, min_length=1, max_length=31)
    #: The bi-directional item and inventory sync (seeds/001); None = off. Its mandatory
    #: settings are checked before each session writes anything (INV-01, INV-15).
    inventory: InventorySettings | None = None
    #: Zuper lists "Allow Negative Stock Balance" as a prerequisite (seeds/001): on, an app
    #: that refuses negative stock stops the inventory sync; off, a refused change is held
    #: on its product (INV-14). ``inventory.require_negative_stock`` overrides it.
    inventory_require_negative_stock: bool = False

    @model_validator(mode="before")
    @classmethod
    def _apply_profile(cls, data: Any) -> Any:
        from connector.profiles import apply_profile

        return apply_profile(data) if isinstance(data, dict) else data

    @field_validator("min_client_version", "recommended_client_version")
    @classmethod
    def _check_client_version(cls, value: str | None) -> str | None:
        if value is not None and parse_client_version(value) is None:
            raise ValueError(f"a Web Connector version looks like '2.3.0.36', got {value!r}")
        return value

    @field_validator("qbxml_version")
    @classmethod
    def _check_version(cls, value: str) -> str:
        major, _, minor = value.partition(".")
        if not (major.isdigit() and minor.isdigit()):
            raise ValueError(f"qbxml_version must look like '13.0', got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_app(self) -> ConnectorSettings:
        if (self.app_base_url is None) == (self.app_transport is None):
            raise ValueError("give exactly one of app_base_url or app_transport")
        names = [u.username.lower() for u in self.users]
        if len(names) != len(set(names)):
            raise ValueError("usernames must be unique")
        return self

    def find_user(self, username: str) -> ConnectorUser | None:
        for user in self.users:
            if user.username == username:
                return user
        return None


def load_settings(path: str | Path) -> ConnectorSettings:
    """Read settings from a YAML or JSON file; a SettingsError says what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    try:
        data: Any = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        # ValueError: JSON errors, and integers over Python's 4300-digit limit.
        raise SettingsError(
            f"{path} is not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}"
        ) from None
    except RecursionError:  # nesting deeper than the parser's stack
        raise SettingsError(f"{path}: the settings are nested too deeply to read") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping of settings at the top level")
    try:
        return ConnectorSettings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors(include_input=False)
        )
        raise SettingsError(f"{path}: invalid settings: {problems}") from None
