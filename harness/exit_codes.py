"""The exit codes of every ``qbwc-harness`` command, which CI tells apart."""

#: all passed (expected failures and skips allowed)
EXIT_OK = 0
#: a scenario (or a certified behavior, or a fuzz invariant) failed
EXIT_FAILED = 1
#: the files or options are wrong (each problem printed as file:line: what was expected)
EXIT_USAGE = 2
