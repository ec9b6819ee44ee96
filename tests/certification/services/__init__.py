"""Small QBWC services written for the tests from the guide's facts, with no project code:
one that follows the guide (``guided``), variants that answer in other ways the guide
allows (``allowed``), and variants that each commit one violation (``violations``)."""
