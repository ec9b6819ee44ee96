"""The test suite (see tests/README.md). A package so that helper modules are imported by
their full name (``tests.variants.mutation``), with no ``sys.path`` changes."""
