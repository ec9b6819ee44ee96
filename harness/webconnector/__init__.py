"""The simulated QuickBooks Web Connector: runs QBWC sessions against any SOAP endpoint."""

from qbwc_wire import QBWC_NAMESPACE as QBWC_NS

from .contract import WSDL_PATH, Contract, Operation, load_contract
from .errors import QBWC_ERRORS, QwcError, SoapCallError, WebConnectorError, qbwc_message
from .faults import FaultError, Faults, format_hresult
from .qwc import QwcFile
from .readonly import ReadOnlyGuard
from .scheduler import ScheduledRun, Scheduler, run_holding, run_interleaved
from .session import QBPOS_HCP_RESPONSE, QuickBooks, WebConnector
from .single_call import last_ticket, response_to_replay, single_call
from .soap_client import DOTNET_USER_AGENT, QbwcSoapClient
from .transcript import Note, Outcome, QbxmlExchange, SoapCall, Transcript
from .transport import HttpTransport, WsgiTransport

__all__ = [
    "DOTNET_USER_AGENT",
    "QBPOS_HCP_RESPONSE",
    "QBWC_ERRORS",
    "QBWC_NS",
    "WSDL_PATH",
    "Contract",
    "FaultError",
    "Faults",
    "HttpTransport",
    "Note",
    "Operation",
    "Outcome",
    "QbwcSoapClient",
    "QbxmlExchange",
    "QuickBooks",
    "QwcError",
    "QwcFile",
    "ReadOnlyGuard",
    "ScheduledRun",
    "Scheduler",
    "SoapCall",
    "SoapCallError",
    "Transcript",
    "WebConnector",
    "WebConnectorError",
    "WsgiTransport",
    "format_hresult",
    "last_ticket",
    "load_contract",
    "qbwc_message",
    "response_to_replay",
    "run_holding",
    "run_interleaved",
    "single_call",
]
