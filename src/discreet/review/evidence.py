"""Evidence for a supervisor: what was screened, when, against which list versions, what
was found and decided by whom, with the audit chain's records to check it against.

A report is a plain dict (the JSON form); :func:`render_html` and :func:`render_pdf`
draw the same dict, so the three formats never say different things, and :func:`render`
is the one format switch the API, the web pages and ``discreet report`` call. Every report
carries the audit chain's head (sequence number and hash) and whether the chain verified
when the report was made, and cites each audit record it rests on by sequence number and
hash, so a supervisor can run ``discreet audit verify`` and find each one.

:func:`as_of_check` answers "was this party listed when we onboarded it?": it screens a
customer or a name against the list versions that were active on a date (for each
source, the stored version with the latest as-of date not after it), and names them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2

from discreet.match import Matcher
from discreet.regimes.pdf import Section, Table
from discreet.regimes.pdf import render_pdf as _draw_pdf
from discreet.review.book import customer_record
from discreet.review.screening import LIMIT
from discreet.review.settings import ReviewSettings
from discreet.screen.readers import Record
from discreet.screen.rows import screen_record

if TYPE_CHECKING:
    from discreet.store import Store
    from discreet.store.chain import ChainRecord
    from discreet.store.review import Alert, Run

__all__ = ["FORMATS", "Rendered", "alert_evidence", "as_of_check", "customer_evidence",
           "period_evidence", "render", "render_html", "render_json", "render_pdf"]

_RUNS = 10**6  # every run (a book's runs are few: one per import, change or request)
_CITED = 5000  # audit records cited in one report at most (the count says how many more)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _audit_state(store: Store) -> dict[str, Any]:
    """The chain's head and whether the whole chain verifies now."""
    head = store.audit_anchor()
    verdict = store.verify_audit()
    return {"head_seq": head.seq, "head_hash": head.hash, "verified": verdict.ok,
            "checked": verdict.checked, "bad_seq": verdict.bad_seq, "reason": verdict.reason,
            "verify_with": "discreet audit verify"}


def _cite(record: ChainRecord) -> dict[str, Any]:
    details = record.request if isinstance(record.request, dict) else {}
    brief = {k: v for k, v in details.items() if k not in ("roles", "lists", "pairs", "refs")}
    return {"seq": record.seq, "hash": record.hash, "prev_hash": record.prev_hash,
            "at": record.at, "event": record.endpoint, "actor": record.actor,
            "details": brief}


def _mentions(event: str, details: Mapping[str, Any], refs: set[str], alerts: set[int],
              runs: set[int], pairs: set[tuple[str, str]]) -> bool:
    """Whether an audit record's details concern these customers, alerts, runs or pairs."""
    if event == "review.run":
        return details.get("id") in runs
    if details.get("alert") in alerts:
        return True
    if any(isinstance(a, int) and a in alerts for a in details.get("alerts") or []):
        return True
    if any(isinstance(r, str) and r in refs for r in details.get("refs") or []):
        return True
    for pair in details.get("pairs") or []:
        if isinstance(pair, list | tuple) and len(pair) == 2 and (
                pair[0] in refs or (str(pair[0]), str(pair[1])) in pairs):
            return True
    return False


def _cited(store: Store, since: str | None, *, refs: set[str] | None = None,
           alerts: set[int] | None = None, runs: set[int] | None = None,
           pairs: set[tuple[str, str]] | None = None) -> tuple[list[dict[str, Any]], int]:
    """The review records of the chain (from ``since``) about these things, and how many."""
    found: list[dict[str, Any]] = []
    total = 0
    for record in store.audit_chain(since=since):
        if not record.endpoint.startswith("review."):
            continue
        details = record.request if isinstance(record.request, dict) else {}
        if _mentions(record.endpoint, details, refs or set(), alerts or set(), runs or set(),
                     pairs or set()):
            total += 1
            if len(found) < _CITED:
                found.append(_cite(record))
    return found, total


def _versions(runs: Iterable[Run], store: Store) -> list[dict[str, Any]]:
    """Each list version the runs screened against, once, with its publication date."""
    stored = {(v.source, v.version): v for v in store.versions()}
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for run in runs:
        for item in run.lists:
            key = (str(item["source"]), int(item["version"]))
            if key in seen:
                continue
            info = stored.get(key)
            seen[key] = {**item, "published": None if info is None else info.published,
                         "as_of_basis": None if info is None else info.as_of_basis,
                         "loaded_at": None if info is None else info.loaded_at,
                         "file_name": None if info is None else info.file_name}
    return [seen[k] for k in sorted(seen)]


def _alert_story(store: Store, alert: Alert) -> dict[str, Any]:
    events = [e.to_dict() for e in store.review.events(alert.id)]
    return {"alert": alert.to_dict(),
            "hits": [h.to_dict() for h in store.review.hits(alert.id)],
            "events": events,
            "decisions": [e for e in events if e["kind"] == "decided"],
            "approvals": [e for e in events if e["kind"] in ("approved", "rejected")],
            "reopenings": [e for e in events if e["kind"] == "reopened"],
            "attachments": [a.to_dict() for a in store.review.attachments(alert.id)]}


def _suppressions(store: Store, alert_ids: set[int]) -> list[dict[str, Any]]:
    return [s.to_dict() for s in store.review.suppressions(limit=10**7)
            if s.alert_id in alert_ids]


def customer_evidence(store: Store, ref: str) -> dict[str, Any]:
    """A customer's whole story: its versions, the runs that screened it (runs of the
    whole book after it was added, and runs that found something for it), against which
    list versions, its alerts with every hit, decision, approval, suppression and
    reopening, and the audit records of each."""
    customer = store.review.customer(ref)
    versions = store.review.customer_versions(ref)
    alerts = store.review.alerts(customer_ref=ref, limit=10**6)
    stories = [_alert_story(store, a) for a in alerts]
    hit_runs = {h["run"] for s in stories for h in s["hits"]}
    runs = [r for r in store.review.runs(limit=_RUNS)
            if r.id in hit_runs or (r.kind in ("book", "lists")
                                    and r.started_at >= customer.created_at)
            or (r.kind == "segment" and r.started_at >= customer.created_at
                and all(customer.attributes.get(k) == v for k, v in r.segment.items()))]
    runs.sort(key=lambda r: r.id)
    alert_ids = {a.id for a in alerts}
    cited, total = _cited(store, customer.created_at[:10], refs={ref}, alerts=alert_ids,
                          runs={r.id for r in runs})
    return {"report": "customer", "generated_at": _now(), "subject": {"customer": ref},
            "customer": customer.to_dict(),
            "customer_versions": [v.to_dict() for v in versions],
            "runs": [r.to_dict() for r in runs], "list_versions": _versions(runs, store),
            "alerts": stories, "suppressions": _suppressions(store, alert_ids),
            "audit": {**_audit_state(store), "records": cited, "records_total": total}}


def alert_evidence(store: Store, alert_id: int) -> dict[str, Any]:
    """One alert: the pair, every run that raised it and their list versions, its case."""
    alert = store.review.alert(alert_id)
    story = _alert_story(store, alert)
    run_ids = {h["run"] for h in story["hits"]}
    runs = sorted((r for r in store.review.runs(limit=_RUNS) if r.id in run_ids),
                  key=lambda r: r.id)
    cited, total = _cited(store, alert.opened_at[:10], alerts={alert_id}, runs=run_ids,
                          pairs={(alert.customer_ref, alert.entity_id)})
    return {"report": "alert", "generated_at": _now(), "subject": {"alert": alert_id},
            "runs": [r.to_dict() for r in runs], "list_versions": _versions(runs, store),
            "alerts": [story], "suppressions": _suppressions(store, {alert_id}),
            "audit": {**_audit_state(store), "records": cited, "records_total": total}}


def period_evidence(store: Store, since: str, until: str) -> dict[str, Any]:
    """Every run started in [since, until] (ISO dates or times; ``until`` a date takes the
    whole day), their list versions and counts, and the decisions made in it."""
    end = until if "T" in until else until + "T99"
    runs = sorted((r for r in store.review.runs(limit=_RUNS) if since <= r.started_at <= end),
                  key=lambda r: r.id)
    records = [r for r in store.audit_chain(since=since)
               if r.at <= end and r.endpoint.startswith("review.")]
    decisions = [_cite(r) for r in records
                 if r.endpoint in ("review.decided", "review.approved", "review.rejected",
                                   "review.reopened", "review.suppressed", "review.closed")]
    return {"report": "period", "generated_at": _now(),
            "subject": {"since": since, "until": until},
            "runs": [r.to_dict() for r in runs], "list_versions": _versions(runs, store),
            "totals": {k: sum(getattr(r, k) for r in runs)
                       for k in ("screened", "opened", "reopened", "suppressed", "updated")},
            "alerts": [],
            "audit": {**_audit_state(store), "records": decisions[:_CITED],
                      "records_total": len(decisions),
                      "review_records_in_period": len(records)}}


def versions_on(store: Store, day: str) -> list[dict[str, Any]]:
    """For each source, the stored version active on ``day`` (latest as-of date not
    after it); sources with no version by then are left out (nothing was listed)."""
    chosen: dict[str, Any] = {}
    for v in store.versions():
        stamp = (v.as_of or v.published or v.loaded_at)[:10]
        if stamp > day:
            continue
        best = chosen.get(v.source)
        if best is None or (stamp, v.version) > ((best.as_of or best.published
                                                  or best.loaded_at)[:10], best.version):
            chosen[v.source] = v
    hashes = store.review.version_hashes()
    return [{"source": v.source, "version": v.version, "as_of": v.as_of,
             "published": v.published, "content_hash": hashes.get((v.source, v.version), ""),
             "file_sha256": v.sha256}
            for _, v in sorted(chosen.items())]


def as_of_check(store: Store, day: str, *, ref: str | None = None,
                name: str | None = None, threshold: float | None = None) -> dict[str, Any]:
    """Screen a customer (its fields as they stood on ``day``) or a name against the list
    versions active on ``day``; the matches (none: not listed then) and which versions."""
    try:
        date.fromisoformat(day)
    except ValueError as exc:
        raise ValueError(f"not a date (YYYY-MM-DD): {day!r}") from exc
    if (ref is None) == (name is None):
        raise ValueError("give a customer reference or a name, not both")
    if ref is not None:
        versions = [v for v in store.review.customer_versions(ref)
                    if v.changed_at[:10] <= day]
        customer = store.review.customer(ref)
        if versions:
            customer = replace(customer, fields=versions[-1].fields)
        record = customer_record(customer)
        subject: dict[str, Any] = {"customer": ref, "fields": customer.fields,
                                   "customer_version": versions[-1].version if versions
                                   else customer.version}
    else:
        if not name or not name.strip():
            raise ValueError("the name is empty")
        record = Record(0, {"id": "name", "name": name})
        subject = {"name": name}
    used = versions_on(store, day)
    matcher = Matcher.from_entities(e for v in used
                                    for e in store.entities(v["source"], v["version"]))
    limit = threshold if threshold is not None else ReviewSettings().threshold
    line = screen_record(matcher, record, limit, LIMIT) if len(matcher) else {"matches": []}
    matches = [{k: m.get(k) for k in ("id", "caption", "score", "explanation", "datasets")}
               for m in line.get("matches", [])]
    return {"report": "as_of", "generated_at": _now(), "subject": {**subject, "as_of": day},
            "threshold": limit, "list_versions": used, "matches": matches,
            "listed": bool(matches), "error": line.get("error"),
            "audit": _audit_state(store)}


# -- rendering ------------------------------------------------------------------------------


def render_json(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _env() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: resources.files("discreet.review").joinpath("templates", name)
        .read_text("utf-8"))
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["compact"] = _compact
    return env


def _compact(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _title(report: Mapping[str, Any]) -> str:
    subject = report["subject"]
    kind = report["report"]
    if kind == "customer":
        return f"Screening evidence: customer {subject['customer']}"
    if kind == "alert":
        return f"Screening evidence: alert {subject['alert']}"
    if kind == "period":
        return f"Screening evidence: {subject['since']} to {subject['until']}"
    who = subject.get("customer") or subject.get("name")
    return f"Screened as of {subject['as_of']}: {who}"


def sections(report: Mapping[str, Any]) -> list[Section]:
    """The report as titled sections of paragraphs and tables (HTML and PDF both)."""
    out: list[Section] = []
    audit = report["audit"]
    out.append(Section("Audit chain", [
        f"Head: record {audit['head_seq']}, hash {audit['head_hash']}.",
        "The chain verified when this report was made." if audit["verified"] else
        f"The chain did NOT verify: record {audit['bad_seq']}: {audit['reason']}.",
        "Check it with: discreet audit verify"]))
    if report["report"] == "as_of":
        out.append(Section("Result", [
            "Listed on that date: " + ("yes, see the matches" if report["listed"] else
                                       "no match at or above the threshold") +
            f" (threshold {report['threshold']})."],
            [Table(["Entity", "Name", "Score"],
                   [[str(m["id"]), str(m["caption"]), str(m["score"])]
                    for m in report["matches"]])] if report["matches"] else []))
    versions = report.get("list_versions", [])
    out.append(Section("List versions", [] if versions else ["None."], [Table(
        ["Source", "Version", "As of", "Published", "Content hash"],
        [[str(v["source"]), str(v["version"]), str(v.get("as_of") or ""),
          str(v.get("published") or ""), str(v.get("content_hash") or "")]
         for v in versions])] if versions else []))
    runs = report.get("runs", [])
    if "runs" in report:
        out.append(Section("Screening runs", [] if runs else ["None."], [Table(
            ["Run", "Kind", "Started", "By", "Threshold", "Screened", "Opened", "Reopened",
             "Suppressed"],
            [[str(r["id"]), r["kind"], r["started_at"], r["actor"], str(r["threshold"]),
              str(r["screened"]), str(r["opened"]), str(r["reopened"]),
              str(r["suppressed"])] for r in runs])] if runs else []))
    for story in report.get("alerts", []):
        alert = story["alert"]
        rows = [[e["at"], e["actor"], e["kind"], _compact(e["details"])]
                for e in story["events"]]
        hits = [[str(h["run"]), str(h["score"]), h["outcome"], h["entity_hash"][:16],
                 _compact(h["explanation"])[:300]] for h in story["hits"]]
        out.append(Section(
            f"Alert {alert['id']}: {alert['customer_ref']} / {alert['entity_id']}",
            [f"{alert['caption']}; state {alert['state']}; decision "
             f"{alert['decision'] or 'none'}; approval {alert['approval'] or 'none'}."],
            [Table(["Run", "Score", "Outcome", "Entity hash", "Explanation"], hits),
             Table(["When", "Who", "What", "Details"], rows)]))
    records = audit.get("records", [])
    if records:
        out.append(Section("Audit records cited", [
            f"{audit.get('records_total', len(records))} records."],
            [Table(["Seq", "When", "Event", "Actor", "Hash"],
                   [[str(c["seq"]), c["at"], c["event"], c["actor"], c["hash"]]
                    for c in records])]))
    return out


def render_html(report: Mapping[str, Any]) -> str:
    return _env().get_template("evidence.html.j2").render(
        title=_title(report), report=report, sections=sections(report),
        json_text=render_json(report))


def render_pdf(report: Mapping[str, Any]) -> bytes:
    return _draw_pdf(_title(report), sections(report))



FORMATS = ("json", "html", "pdf")  # what ``render`` draws a report as
_MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8",
          "pdf": "application/pdf"}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A report drawn in one format: its bytes, its media type and (JSON, HTML) its text,
    for each interface to send or write as it does (a response, a download, a file)."""

    fmt: str
    body: bytes
    media_type: str
    text: str | None  # None for a PDF


def render(report: Mapping[str, Any], fmt: str) -> Rendered:
    """The report in one of :data:`FORMATS` (the one switch the API, the web pages and
    ``discreet report`` share, so a format draws the same bytes everywhere)."""
    if fmt == "pdf":
        return Rendered(fmt, render_pdf(report), _MEDIA[fmt], None)
    if fmt == "json":
        text = render_json(report)
    elif fmt == "html":
        text = render_html(report)
    else:
        raise ValueError(f"unknown report format {fmt!r}: one of {', '.join(FORMATS)}")
    return Rendered(fmt, text.encode("utf-8"), _MEDIA[fmt], text)
