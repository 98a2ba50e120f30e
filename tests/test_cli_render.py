"""The closing reports people read on standard error after screen-file (and spark-screen)
and rescreen (discreet.cli.render), from the run summaries the library returns."""

from __future__ import annotations

from collections import Counter

from discreet.cli.render import rescreen_summary, run_summary
from discreet.screen.rescreen import RescreenSummary
from discreet.screen.rescreen_cost import PathChoice
from discreet.screen.summary import RunSummary


def test_run_summary_counts_then_alerts_by_list_and_programme() -> None:
    summary = RunSummary(rows=12, screened=10, rows_with_alerts=3, alerts=5, rejected=2,
                          unread_dates=1, by_dataset=Counter({"un_sc_sanctions": 4,
                                                              "us_ofac_sdn": 1}),
                          by_programme=Counter({"DPRK": 3, "(none)": 2}), resumed_at=500,
                          seconds=1.25, output="alerts.jsonl")
    assert run_summary(summary).splitlines() == [
        "12 rows: 10 screened, 3 with alerts (5 alerts), 2 rejected, 1 birth dates unread; "
        "resumed at row 500; 1.2 s -> alerts.jsonl",
        "alerts by list: un_sc_sanctions 4, us_ofac_sdn 1",
        "alerts by programme: DPRK 3, (none) 2"]
    quiet = RunSummary(rows=3, screened=3, seconds=0.04, output="out.csv")
    assert run_summary(quiet) == "3 rows: 3 screened, 0 with alerts (0 alerts), 0 rejected; " \
        "0.0 s -> out.csv"


def test_run_summary_lists_at_most_fifteen_programmes() -> None:
    programmes = Counter({f"P{n:02}": 100 - n for n in range(20)})
    line = run_summary(RunSummary(rows=1, by_programme=programmes)).splitlines()[-1]
    assert line.count(",") == 14 and "P00 100" in line and "P15" not in line


def test_rescreen_summary_says_how_the_rows_were_chosen() -> None:
    cached = RescreenSummary(delta_entities=4, removed_entities=1, customers_changed=2,
                             new_alerts=3, gone_alerts=1, amended_alerts=2, seconds=0.5,
                             output="delta.jsonl",
                             since={"un_sc_sanctions": 1}, path="delta", cached=True,
                             rows=1000, screened=7, rejected=1,
                             choice=PathChoice("delta", "auto", 1.25, 30.0))
    assert rescreen_summary(cached) == (
        "4 entities added or amended, 1 delisted since {'un_sc_sanctions': 1}; 2 customers "
        "changed: 3 new alerts, 1 gone, 2 amended; path delta, the cheaper (estimated: "
        "delta 1.2 s, full 30.0 s); 7 of 1000 rows screened (against the changed entities; "
        "the rest ruled out by the name cache), 1 rejected; 0.5 s -> delta.jsonl")
    refilled = RescreenSummary(delta_entities=4, removed_entities=1, path="delta",
                               cached=True, rows=10, screened=3, whole=2)
    assert "path delta; 3 of 10 rows screened (against the changed entities; the rest " \
        "ruled out by the name cache), 2 against the whole index again (an alert of theirs " \
        "changed and their alerts filled the limit), 0 rejected" in rescreen_summary(refilled)
    every = RescreenSummary(delta_entities=1, removed_entities=0, path="delta",
                            reason="no name cache beside the alerts", cache_written=True,
                            rows=5, screened=5)
    assert "(against the changed entities; no name cache used: no name cache beside the " \
        "alerts; name cache written for the next re-screen)" in rescreen_summary(every)
    full = RescreenSummary(delta_entities=900, removed_entities=0, path="full",
                           cache_written=True, rows=5, screened=5, whole=3,
                           choice=PathChoice("full", "full", 9.0, 0.5))
    assert "; path full, as asked (estimated: delta 9.0 s, full 0.5 s); 5 of 5 rows " \
        "screened (every row against the whole index; name cache written for the next " \
        "re-screen), 0 rejected" in rescreen_summary(full)
    nothing = RescreenSummary(delta_entities=0, removed_entities=0, path="none")
    assert "0 of 0 rows screened (nothing added or amended)" in rescreen_summary(nothing)
