"""The errors of the fake company, carrying QuickBooks' own codes and texts.

Two kinds, as in the real request processor:

* ``RequestProcessorError``: the whole request fails at the COM level (the Web Connector
  gets an HRESULT and an empty response). Malformed or misordered XML is 0x80040400, an
  unsupported qbXML version 0x80040423 (QBWC-FACTS.md, "HRESULTs").
* ``QBStatusError`` and its subclasses: one request of a message set fails; it becomes an
  ordinary ``*Rs`` with statusCode, statusSeverity and statusMessage (QBWC-FACTS.md, "qbXML").
"""

from __future__ import annotations

PARSE_ERROR = 0x80040400
VERSION_NOT_SUPPORTED = 0x80040423
UNEXPECTED_ERROR = 0x80040402

#: The text QuickBooks gives with 0x80040400 (as QuickBooks and QBWC logs print it).
PARSE_ERROR_MESSAGE = "QuickBooks found an error when parsing the provided XML text stream."
#: The text given with 0x80040423 (real wording not confirmed; close to what logs show).
VERSION_ERROR_MESSAGE = "The version of QBXML that was requested is not supported or is unknown."


class RequestProcessorError(Exception):
    """QuickBooks refused the whole request: ProcessRequest failed with an HRESULT."""

    def __init__(self, hresult: int, message: str) -> None:
        super().__init__(f"0x{hresult:08X}: {message}")
        self.hresult = hresult
        self.message = message

    @classmethod
    def parse_error(cls, detail: str = "") -> RequestProcessorError:
        # QuickBooks' text says nothing about where the XML was wrong; the fake adds the detail
        # after it so a developer can find the mistake (the first sentence stays exact).
        message = PARSE_ERROR_MESSAGE if not detail else f"{PARSE_ERROR_MESSAGE} ({detail})"
        return cls(PARSE_ERROR, message)


class NotModeledError(RequestProcessorError):
    """A request that is valid qbXML but that the fake company does not model.

    Real QuickBooks would have answered it, so no answer the fake could give is faithful. The
    Web Connector reports it to the service as QuickBooks failing the request (0x80040402,
    "unexpected error") and the harness marks the scenario inconclusive, naming the request
    type: a gap of the simulator is never blamed on the connector (QBWC-FACTS.md, "What the
    guide allows")."""

    def __init__(self, request_type: str) -> None:
        super().__init__(
            UNEXPECTED_ERROR,
            f"The simulated QuickBooks (qbwc-harness) does not model {request_type}.",
        )
        self.request_type = request_type


def severity_of(code: int) -> str:
    """statusSeverity from statusCode: Info 0-499, Warn 500-999, Error from 1000."""
    if code < 500:
        return "Info"
    if code < 1000:
        return "Warn"
    return "Error"


class QBStatusError(Exception):
    """A qbXML-level failure of one request: becomes an ``*Rs`` with this status."""

    code: int = 1000

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def severity(self) -> str:
        return severity_of(self.code)


class NoMatch(QBStatusError):
    code = 1

    def __init__(self) -> None:
        super().__init__("A query request did not find a matching object in QuickBooks")


class QueryNotFullyCompleted(QBStatusError):
    """Asked for an object by ID or name that does not exist (Warn, the rest is returned)."""

    code = 500

    def __init__(self, missing: str) -> None:
        super().__init__(
            "The query request has not been fully completed. There was a required element "
            f'("{missing}") that could not be found in QuickBooks.'
        )


class RequestIdTooLong(QBStatusError):
    """A requestID over 50 characters. Text as Intuit's status code table gives it (quoted
    by third-party QuickBooks help pages, e.g. amigopos.com's QBI status codes); that real
    QuickBooks refuses it rather than truncating is unconfirmed."""

    code = 1060

    def __init__(self, request_id: str) -> None:
        super().__init__(
            f'The request ID "{request_id}" is invalid, possibly too long, max 50 chars.'
        )


class InvalidDateRange(QBStatusError):
    """TxnDateRangeFilter whose FromTxnDate is after its ToTxnDate (Intuit's status code
    table, quoted as above; that QuickBooks refuses rather than returning nothing is
    unconfirmed)."""

    code = 3030

    def __init__(self) -> None:
        super().__init__("Invalid date range: From date is greater than To date.")


class StringTooLong(QBStatusError):
    """A string longer than the schema's xsd:maxLength for its field (``_schema_tables``).

    The field is named by its element name, as in a real answer quoted in bill-ash/qbwc
    (tests/test_query_parser.py): 'The string "a5ad6d73" in the field "AccountNumber" is
    too long.' (confirmed)."""

    code = 3070

    def __init__(self, field: str, value: str) -> None:
        super().__init__(f'The string "{value}" in the field "{field}" is too long.')


class NameHasColon(QBStatusError):
    """A list element's Name with a colon, the separator of a FullName (issue 18: 3090, not
    3210). The code is from the issue's probes; the wording is unconfirmed."""

    code = 3090

    def __init__(self, name: str) -> None:
        super().__init__(
            f'There was an error when storing "{name}" in the field "Name". '
            "A name in this list cannot contain a colon (:)."
        )


class NameInUse(QBStatusError):
    code = 3100

    def __init__(self, name: str) -> None:
        super().__init__(f'The name "{name}" of the list element is already in use.')


class ObjectNotFound(QBStatusError):
    code = 3120

    def __init__(self, object_id: str) -> None:
        super().__init__(f'Object "{object_id}" specified in the request cannot be found.')


class InvalidReference(QBStatusError):
    """A ...Ref that names nothing (QBD-03): the text names the list and the referring object."""

    code = 3140

    def __init__(self, list_name: str, value: str, where: str) -> None:
        super().__init__(
            f'There is an invalid reference to QuickBooks {list_name} "{value}" in the {where}.'
            "  QuickBooks error message: Invalid argument.  The specified record does not exist "
            "in the list."
        )


class EditSequenceOutOfDate(QBStatusError):
    code = 3200

    def __init__(self, edit_sequence: str) -> None:
        super().__init__(f'The provided edit sequence "{edit_sequence}" is out-of-date.')


class DataExtHasValue(QBStatusError):
    """DataExtAdd of a data extension the object already has a value for. The code is what
    a public connector expects here (it falls back to DataExtMod on 3200; low confidence);
    the text is the fake's."""

    code = 3200

    def __init__(self, name: str) -> None:
        super().__init__(f'The data extension "{name}" already has a value for this object.')


class InvalidFieldValue(QBStatusError):
    code = 3210

    def __init__(self, field: str, value: str, reason: str) -> None:
        super().__init__(
            f'The "{field}" field has an invalid value "{value}".  QuickBooks error message: '
            f"{reason}"
        )


class CannotDelete(QBStatusError):
    """A list element still in use, or a transaction the request may not remove.

    QuickBooks words its delete failures "There was an error when deleting ..." with its own
    reason appended; the code and the reasons used here are unconfirmed.
    """

    code = 3170

    def __init__(self, what: str, name: str, reason: str) -> None:
        super().__init__(
            f'There was an error when deleting {what} "{name}".  QuickBooks error message: {reason}'
        )


class RequestNotProcessed(QBStatusError):
    """stopOnError: every request after the failing one gets its own response with this
    status, never silence. Real answer quoted in flowlink/quickbooks_desktop_integration
    (lib/qbwc/response/sales_order_add_rs.rb): statusCode="3231" statusSeverity="Error"
    statusMessage="The request has not been processed." (confirmed)."""

    code = 3231

    def __init__(self) -> None:
        super().__init__("The request has not been processed.")


class FeatureNotEnabled(QBStatusError):
    """QuickBooks' text names no feature (issue 18, from real captures); ``feature`` is kept
    for the fake's own logs only."""

    code = 3250

    def __init__(self, feature: str) -> None:
        super().__init__(
            "This feature is not enabled or not available in this version of QuickBooks."
        )
        self.feature = feature
