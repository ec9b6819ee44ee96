"""Scale: a company generated with Faker (seeded) at 10k and 100k items, customers and
invoices; the time and peak memory of an initial sync through iterators (MaxReturned 500),
and the 100k/10k time ratio (linear is about 10).

Each size runs in its own process (``benchmarks.scale_worker``) so its peak memory
(ru_maxrss) is its own. The add phase (issue 3: "adding 100,000 items") goes through the
company's request processor in message sets; the sync is the simulated Web Connector paging
every list through the ``benchmarks.pager`` service (the reference connector has no initial
import of QuickBooks lists yet).
"""

from __future__ import annotations

from typing import Any

from .common import run_worker


def measure(sizes: tuple[int, int], page: int = 500, timeout: float = 1800.0) -> dict[str, Any]:
    small, large = sizes
    runs = {
        str(n): run_worker("benchmarks.scale_worker", ["--n", str(n), "--page", str(page)], timeout)
        for n in (small, large)
    }
    a, b = runs[str(small)], runs[str(large)]
    a_add = a["add_items_s"] + a["add_customers_s"] + a["add_invoices_s"]
    b_add = b["add_items_s"] + b["add_customers_s"] + b["add_invoices_s"]
    return {
        "sizes": [small, large],
        "runs": runs,
        "sync_ratio": b["sync_s"] / a["sync_s"],
        "add_items_ratio": b["add_items_s"] / a["add_items_s"],
        "add_ratio": b_add / a_add,
        "size_ratio": large / small,
    }


def run(report: Any, quick: bool) -> None:
    sizes = (1_000, 10_000) if quick else (10_000, 100_000)
    result = measure(sizes)
    small, large = sizes
    factor = large / small
    limit = 12 * factor / 10  # the "at most 12" for a tenfold size
    for n in sizes:
        run = result["runs"][str(n)]
        report.add(
            "scale",
            f"{n:,} each: initial sync ({run['imported']:,} records, {run['pages']} pages)",
            run["sync_s"],
            "s",
            note=f"{run['imported'] / run['sync_s']:,.0f} records/s",
        )
        report.add(
            "scale",
            f"{n:,} each: add items / customers / invoices (qbXML Add)",
            f"{run['add_items_s']:.2f} / {run['add_customers_s']:.2f} / {run['add_invoices_s']:.2f}",
            "s",
            note=f"Faker data generated in {run['generate_s']:.1f} s (not timed above)",
        )
        big = n == large and not quick
        report.add(
            "scale",
            f"{n:,} each: peak memory (whole process)",
            run["peak_rss_mb"],
            "MiB",
            "< 1536" if big else "",
            run["peak_rss_mb"] < 1536 if big else None,
            f"{run['rss_after_add_mb']:.0f} MiB once the company is built",
        )
    report.add(
        "scale",
        f"sync time ratio {large:,}/{small:,}",
        result["sync_ratio"],
        "x",
        f"<= {limit:g}",
        result["sync_ratio"] <= limit,
        f"linear = {factor:g}",
    )
    report.add(
        "scale",
        f"add items time ratio {large:,}/{small:,} (issue 3)",
        result["add_items_ratio"],
        "x",
        f"<= {limit:g}",
        result["add_items_ratio"] <= limit,
        f"all adds: {result['add_ratio']:.1f}x",
    )
    report.details["scale"] = result
