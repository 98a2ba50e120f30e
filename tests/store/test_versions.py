"""Versions, diffs, histories and timelines on both backends (SQLite file, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from discreet.errors import NotFoundError, RejectedListError
from discreet.model import Entity
from discreet.store import Store
from tests.store.helpers import parsed_list, person


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def base_list() -> list[Entity]:
    return [person(i, f"Person Number {i}", listed_on="2020-01-15") for i in range(1, 11)]


def test_first_load_is_version_one(store: Store) -> None:
    result = store.write(parsed_list(base_list(), published="2024-01-01"))
    assert (result.version, result.status, result.entities, result.added) == (1, "new", 10, 10)
    [info] = store.versions("test_list")
    assert info.active and info.entities == 10 and info.published == "2024-01-01"
    assert sorted(e.id for e in store.entities("test_list")) == sorted(
        f"test-{i}" for i in range(1, 11))


def test_same_content_makes_no_new_version(store: Store) -> None:
    store.write(parsed_list(base_list(), published="2024-01-01"))
    again = store.write(parsed_list(base_list(), published="2024-01-02", file_name="other.xml"))
    assert again.status == "unchanged" and again.version == 1
    assert len(store.versions("test_list")) == 1


def test_diff_reports_added_removed_and_changed_fields(store: Store) -> None:
    store.write(parsed_list(base_list()))
    changed = base_list()[1:]  # test-1 removed
    changed[0] = person(2, "Person Number Two", listed_on="2020-01-15", dob="1970")
    changed.append(person(11, "Newly Listed", programme="RUSSIA-EO14024"))
    result = store.write(parsed_list(changed), max_drop=0.2)  # 1 of 10 removed
    assert (result.version, result.added, result.removed, result.changed) == (2, 1, 1, 1)
    diff = store.diff("test_list", 1, 2)
    assert diff.added == ["test-11"] and diff.removed == ["test-1"]
    [change] = diff.changed
    assert change.id == "test-2" and change.fields == ["birth_dates", "names"]
    assert change.after["birth_dates"] == [{"start": "1970"}]
    assert store.diff("test_list").to_dict()["from"] == 1  # default: active vs previous


def test_old_versions_stay_readable(store: Store) -> None:
    store.write(parsed_list(base_list()))
    store.write(parsed_list([*base_list()[:5]], ), force=True)
    assert len(list(store.entities("test_list", 1))) == 10
    assert len(list(store.entities("test_list"))) == 5
    assert len(list(store.entities("test_list", 2))) == 5


def test_large_drop_is_refused_unless_forced(store: Store) -> None:
    store.write(parsed_list(base_list()))
    with pytest.raises(RejectedListError, match=r"removes 5 of the 10 entities .*50\.0%"):
        store.write(parsed_list(base_list()[:5]), max_drop=0.2)
    assert [v.version for v in store.versions("test_list")] == [1]
    assert store.write(parsed_list(base_list()[:5]), force=True).version == 2


def test_empty_list_is_refused(store: Store) -> None:
    with pytest.raises(RejectedListError, match="no entities"):
        store.write(parsed_list([]))
    assert store.versions() == []


def test_history_lists_changes_and_delisting(store: Store) -> None:
    store.write(parsed_list(base_list(), published="2024-01-01"))
    v2 = base_list()
    v2[2] = person(3, "Person Number Three", listed_on="2020-01-15")
    store.write(parsed_list(v2, published="2024-02-01"))
    store.write(parsed_list([e for e in v2 if e.id != "test-3"], published="2024-03-01"),
                max_drop=0.2)
    events = store.history("test-3")
    assert [(e.event, e.version, e.date, e.dated) for e in events] == [
        ("listed", 1, "2020-01-15", "stated"), ("changed", 2, "2024-02-01", "between"),
        ("delisted", 3, "2024-03-01", "between")]
    assert [e.when for e in events] == ["2020-01-15", "between 2024-01-01 and 2024-02-01",
                                        "between 2024-02-01 and 2024-03-01"]
    assert events[1].fields == ["names"]
    assert not store.is_listed("test-3")
    assert store.entity("test-3").caption == "Person Number Three"  # as last listed


def test_relisting_is_recorded(store: Store) -> None:
    store.write(parsed_list(base_list(), published="2024-01-01"))
    store.write(parsed_list(base_list()[:9], published="2024-02-01"), force=True)
    store.write(parsed_list(base_list(), published="2024-03-01"))
    assert [e.event for e in store.history("test-10")] == ["listed", "delisted", "relisted"]
    # an undated file is as of its load time: the list went back to nine, now
    again = store.write(parsed_list(base_list()[:9]), force=True)
    assert (again.version, again.status, again.as_of_basis) == (4, "new", "load")
    assert [e.event for e in store.history("test-10")][-1] == "delisted"


def test_timeline_by_month_and_programme(store: Store) -> None:
    store.write(parsed_list(base_list(), published="2024-01-01"))
    later = [*base_list()[1:], person(11, "New One", programme="UKRAINE-EO13660",
                                      listed_on="2024-02-10")]
    store.write(parsed_list(later, published="2024-02-12"), max_drop=0.1)
    rows = {(r.period, r.programme, r.basis): (r.designations, r.delistings)
            for r in store.timeline(by="month")}
    assert rows == {("2020-01", "SDGT", "stated"): (10, 0),
                    ("2024-02", "SDGT", "inferred"): (0, 1),
                    ("2024-02", "UKRAINE-EO13660", "stated"): (1, 0)}
    yearly = store.timeline(by="year", programme="ukraine-eo13660", authority="test")
    assert [(r.period, r.designations) for r in yearly] == [("2024", 1)]


def test_unknown_source_and_version_name_what_exists(store: Store) -> None:
    store.write(parsed_list(base_list()))
    with pytest.raises(NotFoundError, match="no source named 'nope'"):
        store.versions("nope")
    with pytest.raises(NotFoundError, match=r"has no version 7; it has 1\.\.1"):
        store.diff("test_list", 1, 7)
    with pytest.raises(NotFoundError):
        store.history("test-999")


def test_a_file_published_before_the_active_version_is_inserted_not_made_active(
        store: Store) -> None:
    """Two loads racing, or an old mirror copy: the older publication takes its place in
    the history and the newer stays active (whatever the order the files arrive in)."""
    newer = [*base_list(), person(11, "Listed In May")]
    store.write(parsed_list(newer, published="2024-05-03", file_name="may.xml"))
    older = store.write(parsed_list(base_list(), published="2024-02-20", file_name="feb.xml"))
    assert (older.version, older.status, older.active) == (2, "inserted", False)
    infos = store.versions("test_list")
    assert [(v.version, v.as_of, v.active) for v in infos] == [
        (2, "2024-02-20", False), (1, "2024-05-03", True)]
    assert [(v.added, v.removed) for v in infos] == [(10, 0), (1, 0)]  # May now adds one
    assert len(list(store.entities("test_list"))) == 11
    assert [(e.event, e.version, e.when) for e in store.history("test-11")] == [
        ("listed", 1, "between 2024-02-20 and 2024-05-03")]
    assert store.diff("test_list").added == ["test-11"]  # active against the one before


def test_undated_files_are_ordered_by_load_time_and_never_date_an_event(store: Store) -> None:
    store.write(parsed_list(base_list(), published="2024-02-20"))
    later = store.write(parsed_list([*base_list(), person(11, "New")], published="2024-05-03"))
    undated = store.write(parsed_list([*base_list(), person(12, "Undated")]), max_drop=0.2)
    assert [later.version, later.status, undated.version, undated.status] == [
        2, "new", 3, "new"]
    assert undated.as_of_basis == "load" and store.versions("test_list")[-1].active
    # a dated file of the same day as version 2 goes after it, before the undated one
    same_day = store.write(parsed_list([*base_list(), person(13, "Same day")],
                                       published="2024-05-03"), max_drop=0.2)
    assert (same_day.version, same_day.status) == (4, "inserted")
    assert [v.version for v in store.versions("test_list")] == [1, 2, 4, 3]
    [listed] = store.history("test-12")
    assert listed.dated == "load time" and listed.when.startswith("after 2024-05-03, date not")
    rows = [r for r in store.timeline(by="year") if r.designations and r.programme == "SDGT"]
    undated_rows = [r for r in rows if r.basis == "undated"]
    assert [(r.period, r.designations) for r in undated_rows] == [("after 2024-05-03", 1)]
