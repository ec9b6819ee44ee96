"""A scenario's world and the connectors it can hold (its targets): ``world`` builds the
world and carries out what a person does with the Web Connector; ``target`` says what the
world asks of a connector; ``reference`` serves the reference connector (the one module of
the harness that imports ``connector/``); ``external`` reaches a service that is not ours."""

from harness.world.external import ExternalConnector, qwc_fields
from harness.world.reference import (
    HARNESS_OWNED_SETTINGS,
    ReferenceConnector,
    SeededTickets,
    reference_profile_defaults,
    reference_profile_names,
    reference_setting_problem,
)
from harness.world.target import (
    HARNESS_PASSWORD,
    HARNESS_USER,
    SOAP_PATH,
    ConnectorTarget,
    MakeConnector,
    RestartUnsupported,
    Transport,
    WsgiApp,
)
from harness.world.world import BASE_QWC, DIRECT_REQUEST, Station, World, WorldOptions

__all__ = [
    "BASE_QWC",
    "DIRECT_REQUEST",
    "HARNESS_OWNED_SETTINGS",
    "HARNESS_PASSWORD",
    "HARNESS_USER",
    "SOAP_PATH",
    "ConnectorTarget",
    "ExternalConnector",
    "MakeConnector",
    "ReferenceConnector",
    "RestartUnsupported",
    "SeededTickets",
    "Station",
    "Transport",
    "World",
    "WorldOptions",
    "WsgiApp",
    "qwc_fields",
    "reference_profile_defaults",
    "reference_profile_names",
    "reference_setting_problem",
]
