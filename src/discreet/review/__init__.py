"""The compliance workflow: a customer book, continuous screening, alerts and cases,
four eyes, remembered decisions (issue 14).

>>> actor = Actor.of("ana", ["analyst"])
>>> summary = import_customers(store, Path("customers.csv"), actor)
>>> run = screen_customers(store, matcher, summary.changed, actor)
>>> decide(store, alert_id, "false_positive", actor, note="different birth date")
>>> approve(store, alert_id, Actor.of("rui", ["reviewer"]))
>>> screen_list_changes(store, matcher, SYSTEM)   # after a list version becomes active

It sits above :mod:`discreet.screen` (it screens through its one pipeline and re-screens
with its delta and prefilter) and below the API and the CLI; its tables are the store's
(``Store.review``). Rules about who may do what are checked here, whoever calls.
"""

from __future__ import annotations

from discreet.review.actors import ROLES, SYSTEM, Actor, ReviewPermissionError, require
from discreet.review.book import (
    ImportSummary,
    close_customers,
    customer_input,
    import_customers,
    upsert_customers,
)
from discreet.review.cases import (
    Case,
    approve,
    assign,
    attach,
    case,
    close,
    comment,
    decide,
    start_review,
)
from discreet.review.screening import (
    list_versions,
    screen_book,
    screen_customers,
    screen_list_changes,
)
from discreet.review.settings import DECISIONS, ReviewSettings, load_review_settings
from discreet.store.review import Alert, Customer, Run, StaleAlertError

__all__ = ["DECISIONS", "ROLES", "SYSTEM", "Actor", "Alert", "Case", "Customer",
           "ImportSummary", "ReviewPermissionError", "ReviewSettings", "Run",
           "StaleAlertError", "approve", "assign", "attach", "case", "close",
           "close_customers", "comment", "customer_input", "decide", "import_customers",
           "list_versions", "load_review_settings", "require", "screen_book",
           "screen_customers", "screen_list_changes", "start_review", "upsert_customers"]
