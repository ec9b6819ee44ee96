"""Buckets and the merge of the inventory sync (connector.sync.inventory_buckets)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from connector.sync.inventory_buckets import SiteMap, changes, split_moves, total

LOCATIONS = {"loc_1": "Main Warehouse", "loc_2": "Van 1", "loc_3": "Van 2"}


def site_map(multi: bool = True, sites: tuple[str, ...] = ("Main Warehouse", "Van 1", "van 2")):
    return SiteMap(LOCATIONS, "loc_1", sites, multi)


def test_sites_map_to_locations_of_the_identical_name_only() -> None:
    sites = site_map()
    assert sites.bucket_of_site("Van 1") == "loc_2"
    # Case-sensitive: "van 2" has no location, so its stock is in no bucket but held (issue 19).
    assert sites.bucket_of_site("van 2") is None
    assert sites.unmatched_sites({"Van 1": Decimal(1), "van 2": Decimal(3)}) == {"van 2": 3}
    assert sites.qbd_buckets({"Van 1": Decimal(1), "van 2": Decimal(3)}) == {"loc_2": 1}
    assert sites.bucket_of_site(None) == "loc_1"
    assert sites.bucket_of_location("loc_3") == "loc_1"  # no site "Van 2": folded in


def test_without_advanced_inventory_everything_is_the_default_location() -> None:
    sites = site_map(multi=False, sites=())
    stock = {"loc_1": Decimal(2), "loc_2": Decimal(3)}
    assert sites.app_buckets(stock) == {"loc_1": Decimal(5)}
    assert sites.qbd_buckets({None: Decimal(5)}) == {"loc_1": Decimal(5)}
    assert sites.site_of_bucket("loc_1") is None


def test_writes_for_the_default_location_go_to_its_own_site_only() -> None:
    assert site_map().site_of_bucket("loc_1") == "Main Warehouse"
    # Annex has no location: its stock is held, so nothing of the app's is written there.
    assert site_map(sites=("Annex", "Van 1")).site_of_bucket("loc_1") is None
    assert site_map(sites=("Van 1",)).site_of_bucket("loc_1") is None


def test_changes_leave_out_what_did_not_change() -> None:
    now = {"a": Decimal(5), "b": Decimal(1)}
    assert changes(now, {"a": Decimal(5), "c": Decimal(2)}) == {"b": 1, "c": -2}


def test_a_decrease_matched_by_an_increase_is_a_transfer() -> None:
    transfers, rest = split_moves({"a": Decimal(-4), "b": Decimal(3)})
    assert [(t.source, t.target, t.quantity) for t in transfers] == [("a", "b", 3)]
    assert rest == {"a": Decimal(-1)}


DELTAS = st.dictionaries(
    st.sampled_from("abcd"), st.integers(-20, 20).map(Decimal), max_size=4
).map(lambda d: {k: v for k, v in d.items() if v})


@given(DELTAS)
def test_transfers_and_adjustments_add_up_to_the_changes(deltas: dict[str, Decimal]) -> None:
    transfers, rest = split_moves(deltas)
    rebuilt: dict[str, Decimal] = dict(rest)
    for move in transfers:
        assert move.quantity > 0 and move.source != move.target
        rebuilt[move.source] = rebuilt.get(move.source, Decimal(0)) - move.quantity
        rebuilt[move.target] = rebuilt.get(move.target, Decimal(0)) + move.quantity
    assert {k: v for k, v in rebuilt.items() if v} == deltas
    # Transfers never change the total; what is left all goes one way.
    assert total(rest.values()) == total(deltas.values())
    assert all(v > 0 for v in rest.values()) or all(v < 0 for v in rest.values())
