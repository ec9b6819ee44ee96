"""Where stock is compared, and how two sides' changes merge: pure functions, no I/O.

A *bucket* is an app location ID. QuickBooks sites map to the app location of the same,
case-sensitive name; locations are never created from QuickBooks, so the stock at a site
without one is in no bucket: it is held, with an error naming the site, and merged once a
location of that name exists (BEHAVIORS.md INV-13, seeds/001 "the location master is
identical in both systems, as it is case-sensitive"; issue 19: booking it to the default
location put another site's stock there). App locations with no site of their name fold
into the default location, so both sides are compared over the same buckets.
Without Advanced Inventory QuickBooks has one quantity per item: everything is one bucket,
the default location (INV-07, INV-13).

Quantities merge as a three-way merge against the last agreed value (the *baseline*): what
changed on each side since is applied to the other. Consumption on both sides adds up
(seeds/001: quantities flow both ways "regardless of which system is set as the product
master"), and a side's own writes are never read back as changes, because each applied
write moves the baseline by exactly its amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
Quantities = dict[str, Decimal]


@dataclass(frozen=True)
class SiteMap:
    """How QuickBooks sites and app locations pair up for one company and app."""

    #: app location ID -> name
    locations: Mapping[str, str]
    default_location: str
    #: QuickBooks site names; empty without Advanced Inventory
    sites: tuple[str, ...] = ()
    multi_location: bool = False

    def bucket_of_site(self, site: str | None) -> str | None:
        """The bucket of a site's stock; None for a site with no app location of its exact
        name (held)."""
        if not self.multi_location or site is None:
            return self.default_location
        for location_id, name in self.locations.items():
            if name == site:  # case-sensitive, as the seed says
                return location_id
        return None

    def unmatched_sites(self, by_site: Mapping[str | None, Decimal]) -> Quantities:
        """The stock at sites with no app location of their exact name (held)."""
        return {
            str(site): quantity
            for site, quantity in sorted(by_site.items(), key=lambda entry: str(entry[0]))
            if quantity and self.bucket_of_site(site) is None
        }

    def bucket_of_location(self, location_id: str) -> str:
        if not self.multi_location:
            return self.default_location
        name = self.locations.get(location_id)
        return location_id if name is not None and name in self.sites else self.default_location

    def site_of_bucket(self, bucket: str) -> str | None:
        """The site that receives QuickBooks writes for a bucket: the site of its name; None
        without Advanced Inventory (or when no site has its name: the caller holds the
        change, as the stock of a site without a location is held)."""
        if not self.multi_location:
            return None
        name = self.locations.get(bucket)
        return name if name in self.sites else None

    def app_buckets(self, stock: Mapping[str, Decimal]) -> Quantities:
        out: Quantities = {}
        for location_id, quantity in stock.items():
            bucket = self.bucket_of_location(location_id)
            out[bucket] = out.get(bucket, ZERO) + quantity
        return out

    def qbd_buckets(self, by_site: Mapping[str | None, Decimal]) -> Quantities:
        out: Quantities = {}
        for site, quantity in by_site.items():
            bucket = self.bucket_of_site(site)
            if bucket is not None:
                out[bucket] = out.get(bucket, ZERO) + quantity
        return out


def changes(now: Mapping[str, Decimal], baseline: Mapping[str, Decimal]) -> Quantities:
    """Per bucket, what changed since the baseline (zero changes left out)."""
    out: Quantities = {}
    for bucket in sorted(set(now) | set(baseline)):
        delta = now.get(bucket, ZERO) - baseline.get(bucket, ZERO)
        if delta:
            out[bucket] = delta
    return out


@dataclass(frozen=True)
class Transfer:
    source: str
    target: str
    quantity: Decimal


def split_moves(deltas: Mapping[str, Decimal]) -> tuple[list[Transfer], Quantities]:
    """Read one item's per-bucket changes as transfers (a decrease in one bucket matched by
    an increase in another: the total does not change, so it must never be replayed as a
    quantity change, INV-12) and what is left as adjustments. Deterministic: buckets in
    sorted order."""
    losses = [(b, -d) for b, d in sorted(deltas.items()) if d < 0]
    gains = [(b, d) for b, d in sorted(deltas.items()) if d > 0]
    transfers: list[Transfer] = []
    i = j = 0
    lost, gained = (losses[0][1] if losses else ZERO), (gains[0][1] if gains else ZERO)
    while i < len(losses) and j < len(gains):
        moved = min(lost, gained)
        transfers.append(Transfer(losses[i][0], gains[j][0], moved))
        lost, gained = lost - moved, gained - moved
        if not lost:
            i += 1
            lost = losses[i][1] if i < len(losses) else ZERO
        if not gained:
            j += 1
            gained = gains[j][1] if j < len(gains) else ZERO
    rest: Quantities = {}
    if i < len(losses):
        rest[losses[i][0]] = -lost
        rest.update({b: -d for b, d in losses[i + 1 :]})
    if j < len(gains):
        rest[gains[j][0]] = gained
        rest.update(dict(gains[j + 1 :]))
    return transfers, rest


def total(quantities: Iterable[Decimal]) -> Decimal:
    return sum(quantities, ZERO)
