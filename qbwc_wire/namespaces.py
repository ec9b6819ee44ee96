"""The XML namespaces of the QBWC SOAP contract (QBWC-FACTS.md, "The Web Connector contract")."""

#: The target namespace of every QBWC method and its parameters (guide p.61, the WSDL).
QBWC_NAMESPACE = "http://developer.intuit.com/"
#: SOAP 1.1, the only version QBWC speaks (its WSDL binds soap:, not soap12:).
SOAP11_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
