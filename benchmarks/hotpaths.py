"""Where a round trip's time goes: ``python -m benchmarks.hotpaths [--customers N]``.

Runs the in-process round-trip workload under cProfile and sums each function's own time
by component (the connector, spyne, httpx, SQLite, the fake app, the fake QuickBooks, the
simulated Web Connector, lxml ...), then lists the heaviest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from typing import Any

from . import roundtrip

COMPONENTS = (
    ("sqlite3 (connector store)", ("sqlite3.Connection", "sqlite3.Cursor")),
    ("gc.collect (spyne, once a second)", ("gc.collect",)),
    ("hashlib.scrypt (authenticate)", ("_hashlib.scrypt",)),
    ("connector/", ("/connector/",)),
    ("spyne", ("/spyne/",)),
    ("httpx (connector -> app, in-process)", ("/httpx/", "/httpcore/")),
    ("fake field-service app", ("/fake_fieldservice/", "/werkzeug/", "/pydantic")),
    ("fake QuickBooks", ("/fake_qbd/",)),
    ("simulated Web Connector", ("/webconnector/", "/requests/", "/zeep/")),
    ("json", ("/json/",)),
    ("lxml", ("lxml.", "etree")),
)


def by_component(stats: pstats.Stats) -> dict[str, float]:
    out: dict[str, float] = {}
    raw: Any = stats.stats  # type: ignore[attr-defined]
    for (filename, _, name), (_, _, tottime, _, _) in raw.items():
        where = f"{filename}:{name}"
        label = next(
            (lab for lab, keys in COMPONENTS if any(k in where for k in keys)), "other (stdlib)"
        )
        out[label] = out.get(label, 0.0) + tottime
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def apply_what_if(names: list[str]) -> None:
    """Experiments for fixes recommended in other components, applied to this process only
    (nothing is changed on disk): what the round trip would gain with them.

    - ``nogc``: spyne's ``gc.collect()`` after a call at most once a second, switched off;
    - ``scrypt``: the password hash's cost lowered (N=2**10) for the simulated user;
    - ``normal``: the connector's SQLite with ``synchronous=NORMAL`` (WAL keeps it safe from
      a process crash; only an OS crash can lose the last commits).
    """
    if "nogc" in names:
        import spyne.const

        spyne.const.MIN_GC_INTERVAL = float("inf")
    if "scrypt" in names:
        import connector.passwords

        connector.passwords._N = 2**10  # type: ignore[attr-defined]
    if "normal" in names:
        import connector.store

        original = connector.store.Store.__init__

        def init(self: Any, db_path: str = ":memory:", *args: Any, **kwargs: Any) -> None:
            original(self, db_path, *args, **kwargs)
            if db_path != ":memory:":
                self._db.execute("PRAGMA synchronous=NORMAL")

        connector.store.Store.__init__ = init  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--transport", default="inprocess", choices=["inprocess", "http"])
    parser.add_argument(
        "--what-if",
        default="",
        help="comma-separated experiments: nogc, scrypt, normal (see apply_what_if)",
    )
    args = parser.parse_args()
    apply_what_if([x.strip() for x in args.what_if.split(",") if x.strip()])
    world = roundtrip._world(args.transport, args.customers)
    profiler = cProfile.Profile()
    profiler.enable()
    _, seconds = roundtrip._session(world)
    profiler.disable()
    world.close()
    stats = pstats.Stats(profiler)
    total = sum(by_component(stats).values())
    print(f"session: {seconds:.2f} s under the profiler; own time by component:")
    for label, spent in by_component(stats).items():
        print(f"  {label:40} {spent:7.3f} s  {100 * spent / total:5.1f} %")
    print()
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
