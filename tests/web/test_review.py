"""The review pages: the queue, an alert's case with four eyes, the customer book.

Customers and alerts are made with the review library itself (an imported customer file
screened against the small lists, plus a hostile list whose names and programmes are
markup), then worked on through the pages as people would: ana (analyst) decides, rui and
rita (reviewers) approve, aud (auditor) only reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from discreet.api.index import build_generation
from discreet.model import DateSpec, Entity, Name
from discreet.review import (
    Actor,
    approve,
    close,
    customer_input,
    decide,
    import_customers,
    screen_book,
    screen_customers,
    upsert_customers,
)
from discreet.store import Store
from tests.api.helpers import load_entities
from tests.web.conftest import csrf_of

HOSTILE = '<script>alert("listed")</script> Kim Jong Un'
HOSTILE_PROGRAMME = "<b>DPRK</b>"
CUSTOMERS = (
    "id,name,birth_date,country,segment\n"
    "c-putin,Vladimir Putin,1952-10-07,ru,retail\n"
    "c-kim,Kim Jong Un,1984-01-08,kp,private\n"
    '"c-<script>x</script>","Vladimir Putin;<script>alert(1)</script>",1952-10-07,ru,retail\n'
    "c-plain,Jane Doe,1990-01-01,gb,retail\n"
)
Client = Callable[[str], TestClient]


@pytest.fixture
def book(web_url: str, tmp_path: Path) -> dict[str, int]:
    """The customers imported and screened before the app starts (so a test names it
    before ``signed_in``): alert ids by pair."""
    with Store.open(web_url) as store:
        evil = Entity("evil-1", "Person", source="xx_hostile", authority="XX",
                      authority_id="evil-1", names=[Name(HOSTILE)],
                      birth_dates=[DateSpec("1984-01-08")], nationalities=["kp"],
                      programmes=[HOSTILE_PROGRAMME]).finish()
        load_entities(store, "xx_hostile", [evil])
        path = tmp_path / "customers.csv"
        path.write_text(CUSTOMERS, encoding="utf-8")
        actor = Actor.of("ana", ["analyst"])
        summary = import_customers(store, path, actor)
        assert summary.created == 4 and summary.rejected == 0
        screen_book(store, build_generation(store).matcher, actor)
        return {f"{a.customer_ref}|{a.entity_id}": a.id
                for a in store.review.alerts(limit=1000)}


def _alert(book: dict[str, int], customer: str, entity: str) -> int:
    return book[f"{customer}|{entity}"]


def _flash(html: str) -> str:
    """The words of the page's message area (a <p> or a <div> with id="flash")."""
    found = re.search(r'<(p|div) id="flash"[^>]*>(.*?)</\1>', html, re.S)
    assert found, "the page shows no message"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


def _refs(html: str) -> list[str]:
    """The customer references the list page shows, in order."""
    table = html.split('id="customers"', 1)[1].split("</table>", 1)[0]
    return [unescape(r) for r in re.findall(r'<td><a href="/ui/customers/[^"]+">([^<]+)</a>',
                                            table)]


def _version(html: str, form: str) -> str:
    found = re.search(rf'id="{form}".*?name="version" value="(\d+)"', html, re.S)
    assert found, f"no {form} with a version"
    return found.group(1)


def _post(client: TestClient, url: str, data: dict[str, str], page: str | None = None,
          files: dict[str, tuple[str, bytes, str]] | None = None) -> object:
    token = csrf_of(page if page is not None else client.get("/ui/alerts").text)
    return client.post(url, data={"csrf_token": token, **data}, files=files,
                       follow_redirects=False)


def test_four_eyes_through_the_pages(
        book: dict[str, int], signed_in: Client) -> None:
    alert_id = _alert(book, "c-putin", "ofac-1")
    ana = signed_in("ana")
    page = ana.get(f"/ui/alerts/{alert_id}")
    assert page.status_code == 200
    assert 'id="decide-form"' in page.text and 'id="approve-form"' not in page.text
    # side by side, and the words aligned by the run's explanation
    assert "Vladimir Vladimirovich PUTIN" in page.text and "1952-10-07" in page.text
    assert re.search(r"<td>vladimir</td><td>vladimir</td><td>exact</td>", page.text)
    assert "/ui/entities/ofac-1/history" in page.text
    # a reason is required; then the decision waits for four eyes
    no_reason = _post(ana, f"/ui/alerts/{alert_id}/decide",
                      {"version": _version(page.text, "decide-form"),
                       "decision": "false_positive", "note": "  "}, page.text)
    assert no_reason.status_code == 400  # type: ignore[attr-defined]
    assert "Give the reason" in _flash(no_reason.text)  # type: ignore[attr-defined]
    done = _post(ana, f"/ui/alerts/{alert_id}/decide",
                 {"version": _version(page.text, "decide-form"), "decision": "false_positive",
                  "note": "born elsewhere, other person"}, page.text)
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = ana.get(done.headers["location"])  # type: ignore[attr-defined]
    assert "decision is recorded" in _flash(page.text)
    assert "waiting for approval" in page.text and 'id="approve-form"' in page.text
    # the analyst's own approval is refused with the library's words, not a 500
    own = _post(ana, f"/ui/alerts/{alert_id}/approve",
                {"version": _version(page.text, "approve-form"), "verdict": "approve"},
                page.text)
    assert own.status_code == 403  # type: ignore[attr-defined]
    assert "may not approve" in _flash(own.text)  # type: ignore[attr-defined]
    # a second reviewer approves
    rui = signed_in("rui")
    page = rui.get(f"/ui/alerts/{alert_id}")
    assert "You made this decision" not in page.text
    ok = _post(rui, f"/ui/alerts/{alert_id}/approve",
               {"version": _version(page.text, "approve-form"), "verdict": "approve",
                "note": "agreed"}, page.text)
    assert ok.status_code == 303  # type: ignore[attr-defined]
    page = rui.get(ok.headers["location"])  # type: ignore[attr-defined]
    assert "decision is approved" in _flash(page.text)
    assert '<span class="pill decided">decided</span>' in page.text
    assert "born elsewhere, other person" in page.text and "agreed" in page.text


def test_a_reviewer_cannot_approve_their_own_decision(
        book: dict[str, int], signed_in: Client) -> None:
    alert_id = _alert(book, "c-kim", "un-1")
    rui = signed_in("rui")
    page = rui.get(f"/ui/alerts/{alert_id}")
    decided = _post(rui, f"/ui/alerts/{alert_id}/decide",
                    {"version": _version(page.text, "decide-form"), "decision": "true_match",
                     "note": "same birth date and country"}, page.text)
    assert decided.status_code == 303  # type: ignore[attr-defined]
    page = rui.get(f"/ui/alerts/{alert_id}")
    assert "You made this decision" in page.text
    own = _post(rui, f"/ui/alerts/{alert_id}/approve",
                {"version": _version(page.text, "approve-form")}, page.text)
    assert own.status_code == 403  # type: ignore[attr-defined]
    assert "cannot approve their own decision (four eyes)" in _flash(own.text)  # type: ignore[attr-defined]
    # rita rejects: back in review, the decision undone
    rita = signed_in("rita")
    page = rita.get(f"/ui/alerts/{alert_id}")
    rejected = _post(rita, f"/ui/alerts/{alert_id}/approve",
                     {"version": _version(page.text, "approve-form"), "verdict": "reject"},
                     page.text)
    assert rejected.status_code == 303  # type: ignore[attr-defined]
    page = rita.get(f"/ui/alerts/{alert_id}")
    assert '<span class="pill in_review">in review</span>' in page.text


def test_the_auditor_reads_everything_and_changes_nothing(
        book: dict[str, int], signed_in: Client) -> None:
    alert_id = _alert(book, "c-putin", "ofac-1")
    aud = signed_in("aud")
    page = aud.get(f"/ui/alerts/{alert_id}")
    assert page.status_code == 200 and 'id="read-only"' in page.text
    assert "<form" not in page.text.split("</header>", 1)[1]  # no form but sign-out
    queue = aud.get("/ui/alerts")
    assert queue.status_code == 200 and 'data-select-all' not in queue.text
    customers = aud.get("/ui/customers")
    assert 'id="import-form"' not in customers.text and "screen-book-form" not in customers.text
    for path, data in ((f"/ui/alerts/{alert_id}/comment", {"text": "hello"}),
                       (f"/ui/alerts/{alert_id}/decide", {"version": "1",
                                                          "decision": "true_match",
                                                          "note": "x"}),
                       (f"/ui/alerts/{alert_id}/assign", {"version": "1", "to": "aud"}),
                       ("/ui/alerts/bulk", {"action": "assign_me",
                                            "alert": f"{alert_id}:1"}),
                       ("/ui/customers/screen", {})):
        answer = _post(aud, path, data, page.text)
        assert answer.status_code == 403, path  # type: ignore[attr-defined]
    with_file = _post(aud, f"/ui/alerts/{alert_id}/attach", {}, page.text,
                      files={"file": ("note.txt", b"hello", "text/plain")})
    assert with_file.status_code == 403  # type: ignore[attr-defined]
    assert "auditors read only" in with_file.text  # type: ignore[attr-defined]
    assert '<dt>version</dt><dd>1</dd>' in aud.get(f"/ui/alerts/{alert_id}").text


def test_a_post_without_the_csrf_token_is_refused(
        book: dict[str, int], signed_in: Client) -> None:
    alert_id = _alert(book, "c-putin", "ofac-1")
    ana = signed_in("ana")
    for path, data in ((f"/ui/alerts/{alert_id}/decide", {"version": "1",
                                                          "decision": "false_positive",
                                                          "note": "n"}),
                       (f"/ui/alerts/{alert_id}/comment", {"text": "hello"}),
                       ("/ui/alerts/bulk", {"action": "assign_me", "alert": f"{alert_id}:1"}),
                       ("/ui/customers/screen", {})):
        answer = ana.post(path, data=data, follow_redirects=False)
        assert answer.status_code == 403, path
        assert "did not come from this site" in answer.text
    page = ana.get(f"/ui/alerts/{alert_id}")
    assert '<dt>version</dt><dd>1</dd>' in page.text and "hello" not in page.text


def test_a_stale_form_says_someone_changed_the_alert(
        book: dict[str, int], signed_in: Client) -> None:
    alert_id = _alert(book, "c-putin", "ofac-1")
    ana = signed_in("ana")
    rui = signed_in("rui")
    read = ana.get(f"/ui/alerts/{alert_id}").text  # ana reads version 1
    page = rui.get(f"/ui/alerts/{alert_id}").text
    assert _post(rui, f"/ui/alerts/{alert_id}/assign",
                 {"version": _version(page, "assign-form"), "to": "rui"},
                 page).status_code == 303  # type: ignore[attr-defined]
    late = _post(ana, f"/ui/alerts/{alert_id}/decide",
                 {"version": _version(read, "decide-form"), "decision": "false_positive",
                  "note": "too late"}, read)
    assert late.status_code == 409  # type: ignore[attr-defined]
    words = _flash(late.text)  # type: ignore[attr-defined]
    assert "Someone changed this alert meanwhile" in words and "reload" in words.lower()
    assert "assigned by rui" in late.text  # type: ignore[attr-defined]
    # the page shown with the message is the fresh one: its forms carry version 2
    assert _version(late.text, "decide-form") == "2"  # type: ignore[attr-defined]
    assert "too late" not in ana.get(f"/ui/alerts/{alert_id}").text


def test_comment_attach_download_and_the_size_limit(
        book: dict[str, int], signed_in: Client, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    alert_id = _alert(book, "c-kim", "un-1")
    ana = signed_in("ana")
    page = ana.get(f"/ui/alerts/{alert_id}").text
    said = _post(ana, f"/ui/alerts/{alert_id}/comment",
                 {"text": "<img src=x onerror=alert(1)> checked"}, page)
    assert said.status_code == 303  # type: ignore[attr-defined]
    body = b"%PDF-1.4 evidence \x00\xff"
    kept = _post(ana, f"/ui/alerts/{alert_id}/attach", {}, page,
                 files={"file": ("../../passport scan.pdf", body, "application/pdf")})
    assert kept.status_code == 303  # type: ignore[attr-defined]
    page = ana.get(f"/ui/alerts/{alert_id}").text
    assert "&lt;img src=x onerror=alert(1)&gt; checked" in page and "<img src=x" not in page
    link = re.search(rf'href="(/ui/alerts/{alert_id}/attachments/\d+)"', page)
    assert link and "passport scan.pdf" in page and "../" not in page
    got = ana.get(link.group(1))
    assert got.status_code == 200 and got.content == body
    assert got.headers["content-disposition"].startswith("attachment;")
    assert ana.get(f"/ui/alerts/{alert_id}/attachments/999").status_code == 404
    # above the limit of the review settings: refused with the library's words
    (tmp_path / "review.toml").write_text("attachment_max_bytes = 10\n")
    monkeypatch.setenv("DISCREET_REVIEW_CONFIG", str(tmp_path / "review.toml"))
    big = _post(ana, f"/ui/alerts/{alert_id}/attach", {}, page,
                files={"file": ("big.bin", b"x" * 11, "application/octet-stream")})
    assert big.status_code == 413  # type: ignore[attr-defined]
    assert "the limit is 10" in _flash(big.text)  # type: ignore[attr-defined]


def test_queue_filters_sorting_paging_and_counts(
        book: dict[str, int], signed_in: Client) -> None:
    ana = signed_in("ana")
    queue = ana.get("/ui/alerts")
    assert queue.status_code == 200 and 'id="alerts"' in queue.text
    assert 'id="alert-filters"' in queue.text and 'data-select-all="alert"' in queue.text
    shown = [int(x) for x in re.findall(r'href="/ui/alerts/(\d+)"', queue.text)]
    assert sorted(shown) == sorted(book.values())
    # the filter form as a browser sends it: every field, "any" as an empty value
    sent = ana.get("/ui/alerts", params={"state": "", "assignee": "", "source": "",
                                         "programme": "", "customer": "", "sort": "due",
                                         "dir": "asc"})
    assert sent.status_code == 200
    assert sorted(int(x) for x in re.findall(r'href="/ui/alerts/(\d+)"', sent.text)) == \
        sorted(book.values())
    # by list
    un = ana.get("/ui/alerts?source=un_sc_sanctions").text
    assert re.findall(r'href="/ui/alerts/(\d+)"', un) == [str(_alert(book, "c-kim", "un-1"))]
    # by programme (the hostile one: its name is inert in the filter's choices too)
    evil_id = _alert(book, "c-kim", "evil-1")
    by_programme = ana.get("/ui/alerts", params={"programme": HOSTILE_PROGRAMME}).text
    assert re.findall(r'href="/ui/alerts/(\d+)"', by_programme) == [str(evil_id)]
    assert HOSTILE_PROGRAMME not in by_programme and "&lt;b&gt;DPRK&lt;/b&gt;" in by_programme
    # by score, both ways
    up = [int(x) for x in re.findall(r'href="/ui/alerts/(\d+)"',
                                     ana.get("/ui/alerts?sort=score&dir=asc").text)]
    down = [int(x) for x in re.findall(r'href="/ui/alerts/(\d+)"',
                                       ana.get("/ui/alerts?sort=score&dir=desc").text)]
    assert set(up) == set(down) == set(book.values()) and up == list(reversed(down))
    # by state and assignee, with counts per state
    page = ana.get(f"/ui/alerts/{evil_id}").text
    assert _post(ana, f"/ui/alerts/{evil_id}/assign",
                 {"version": _version(page, "assign-form"), "to": "ana"},
                 page).status_code == 303  # type: ignore[attr-defined]
    mine = ana.get("/ui/alerts?assignee=ana").text
    assert re.findall(r'href="/ui/alerts/(\d+)"', mine) == [str(evil_id)]
    in_review = ana.get("/ui/alerts?state=in_review").text
    assert re.findall(r'href="/ui/alerts/(\d+)"', in_review) == [str(evil_id)]
    assert re.search(r"in review <span class=\"num\">\(1\)</span>", in_review)
    assert re.search(rf"open <span class=\"num\">\({len(book) - 1}\)</span>", in_review)
    nobody = ana.get("/ui/alerts?unassigned=1").text
    assert str(evil_id) not in re.findall(r'href="/ui/alerts/(\d+)"', nobody)
    # bad filters are a 4xx page with the reason, never a 500
    for bad in ("state=nonsense", "sort=name;drop", "page=0", "dir=up"):
        answer = ana.get(f"/ui/alerts?{bad}")
        assert answer.status_code == 422, bad
        assert "<h1>422" in answer.text
    assert ana.get("/ui/alerts/99999").status_code == 404
    assert ana.get("/ui/alerts/not-a-number").status_code == 422


def test_bulk_assign_to_me_and_close_with_refusals_named(
        book: dict[str, int], signed_in: Client) -> None:
    ana = signed_in("ana")
    queue = ana.get("/ui/alerts").text
    picks = re.findall(r'name="alert" value="(\d+:\d+)"', queue)
    assert len(picks) == len(book)
    answer = ana.post("/ui/alerts/bulk", data={"csrf_token": csrf_of(queue),
                                               "action": "assign_me", "alert": picks},
                      follow_redirects=False)
    assert answer.status_code == 303
    page = ana.get(answer.headers["location"]).text
    assert f"Changed: {len(book)}." in " ".join(_flash(page).split())
    assert len(re.findall(r"<td>ana</td>", page)) == len(book)
    # the same versions again are stale now; closing undecided alerts is refused: named
    again = ana.post("/ui/alerts/bulk", data={"csrf_token": csrf_of(queue),
                                              "action": "close", "alert": picks[:2]},
                     follow_redirects=False)
    page = ana.get(again.headers["location"]).text
    assert "Not changed" in page
    assert ana.post("/ui/alerts/bulk", data={"csrf_token": csrf_of(queue),
                                             "action": "assign", "assignee": "aud",
                                             "alert": picks[:1]},
                    follow_redirects=False).status_code == 400
    assert ana.post("/ui/alerts/bulk", data={"csrf_token": csrf_of(queue),
                                             "action": "close"},
                    follow_redirects=False).status_code == 400


def test_hostile_names_are_inert_everywhere(
        book: dict[str, int], signed_in: Client) -> None:
    evil = _alert(book, "c-kim", "evil-1")
    hostile_customer = next(k.split("|")[0] for k in book if k.startswith("c-<script>"))
    ana = signed_in("ana")
    pages = [ana.get("/ui/alerts").text, ana.get(f"/ui/alerts/{evil}").text,
             ana.get("/ui/customers").text, ana.get("/ui/customers?q=script").text]
    theirs = _alert(book, hostile_customer, "ofac-1")
    pages.append(ana.get(f"/ui/alerts/{theirs}").text)
    customer = ana.get("/ui/customers/c-%3Cscript%3Ex%3C%2Fscript%3E")
    assert customer.status_code == 200
    pages.append(customer.text)
    for html in pages:
        assert "<script>alert" not in html and "<script>x" not in html
        assert "<b>DPRK" not in html
    assert "&lt;script&gt;alert(&#34;listed&#34;)&lt;/script&gt;" in pages[1]
    assert "Vladimir Putin; &lt;script&gt;alert(1)&lt;/script&gt;" in pages[2]


def test_customer_list_search_page_and_import(
        book: dict[str, int], signed_in: Client) -> None:
    ana = signed_in("ana")
    listing = ana.get("/ui/customers")
    assert listing.status_code == 200 and 'id="customers"' in listing.text
    assert "4 customers" in listing.text
    found = ana.get("/ui/customers?q=PUTIN").text
    assert _refs(found) == ["c-<script>x</script>", "c-putin"]  # by name, any case
    assert _refs(ana.get("/ui/customers?q=C-K").text) == ["c-kim"]  # by reference
    assert _refs(ana.get("/ui/customers?q=jane%20DOE").text) == ["c-plain"]
    assert _refs(ana.get("/ui/customers?q=names").text) == []  # values, not field names
    assert _refs(ana.get("/ui/customers?q=%25").text) == []  # a wildcard is literal
    assert _refs(ana.get("/ui/customers?q=_").text) == []
    one = ana.get("/ui/customers/c-putin")
    assert one.status_code == 200 and "Vladimir Putin" in one.text
    assert f'href="/ui/alerts/{_alert(book, "c-putin", "ofac-1")}"' in one.text
    assert "segment" in one.text and "retail" in one.text  # the free attributes
    assert re.search(r'id="customer-runs".*?<td>1</td><td>book</td>', one.text, re.S)
    assert ana.get("/ui/customers/nobody").status_code == 404
    # import: a changed customer, a new one and a rejected row, screened at once
    page = ana.get("/ui/customers").text
    data = (b"Ref,Full Name,DOB\nc-plain,Jane Doe,1990-01-02\nc/new?1#x,Kim Jong Un,1984-01-08\n"
            b",no reference,\n")
    answer = ana.post("/ui/customers/import", data={
        "csrf_token": csrf_of(page), "mapping": "id=Ref,name=Full Name,birth_date=DOB",
        "format": "auto", "screen": "1"},
        files={"file": ("book update.csv", data, "text/csv")})
    assert answer.status_code == 200, answer.text
    report = answer.text
    assert 'id="import-report"' in report and "book update.csv" in report
    for label, value in (("Created", 1), ("Updated", 1), ("Rejected", 1)):
        assert re.search(rf"<dt>{label}</dt><dd class=\"num\">{value}</dd>", report), label
    assert "line 4" in report and "Screening run" in report
    # a reference with /, ? and #: one path segment, quoted whole, everywhere
    assert _refs(ana.get("/ui/customers", params={"q": "c/new"}).text) == ["c/new?1#x"]
    assert 'href="/ui/customers/c%2Fnew%3F1%23x"' in ana.get("/ui/alerts").text
    odd = ana.get("/ui/customers/c%2Fnew%3F1%23x")
    assert odd.status_code == 200 and "<h1>Customer c/new?1#x</h1>" in odd.text
    versions = ana.get("/ui/customers/c-plain").text
    assert "1990-01-02" in versions and "1990-01-01" in versions  # both versions kept
    # a file that is not a customer file: 400 with the reader's words
    bad = ana.post("/ui/customers/import", data={"csrf_token": csrf_of(page),
                                                 "format": "xlsx"},
                   files={"file": ("x.xlsx", b"not a workbook", "application/octet-stream")})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    bad_map = ana.post("/ui/customers/import", data={"csrf_token": csrf_of(page),
                                                     "mapping": "colour=Red"},
                       files={"file": ("x.csv", b"id,name\n1,a\n", "text/csv")})
    assert bad_map.status_code == 400 and "unknown field" in bad_map.text


def test_screen_the_book_now(
        book: dict[str, int], signed_in: Client) -> None:
    ana = signed_in("ana")
    page = ana.get("/ui/customers").text
    assert 'id="screen-book-form"' in page
    answer = ana.post("/ui/customers/screen", data={"csrf_token": csrf_of(page)},
                      follow_redirects=False)
    assert answer.status_code == 303
    shown = ana.get(answer.headers["location"]).text
    words = " ".join(_flash(shown).split())
    assert "whole book was screened" in words and "Screening run 2: 4 screened" in words


def test_a_reopened_alert_shows_what_changed_since_the_decision(
        book: dict[str, int], signed_in: Client, web_url: str) -> None:
    alert_id = _alert(book, "c-putin", "ofac-1")
    ana, rui = Actor.of("ana", ["analyst"]), Actor.of("rui", ["reviewer"])
    with Store.open(web_url) as store:
        decide(store, alert_id, "false_positive", ana, note="other person")
        approve(store, alert_id, rui)
        close(store, alert_id, ana)
        upsert_customers(store, [customer_input(
            "c-putin", names="Vladimir Putin", birth_date="1952-10-07",
            countries=["ru", "ch"], attributes={"segment": "retail"})], ana)
        run = screen_customers(store, build_generation(store).matcher, ["c-putin"], ana)
        assert run.reopened == 1
    page = signed_in("rita").get(f"/ui/alerts/{alert_id}").text
    assert "Reopened" in page and "the customer changed since the decision" in page
    changed = re.search(r"<caption>The customer changed</caption>(.*?)</table>", page, re.S)
    assert changed and re.search(r"<td>countries</td><td></td><td>ch</td>", changed.group(1))
    assert '<span class="pill open">open</span>' in page
    history = re.findall(r'id="score-history".*?</table>', page, re.S)[0]
    assert history.count("<tr>") == 3  # the heading, run 1 (opened), run 2 (reopened)


def test_the_store_finds_customers_by_reference_or_name_on_both_backends(
        store_url: str) -> None:
    """The search behind the list page, on SQLite and PostgreSQL alike."""
    actor = Actor.of("ana", ["analyst"])
    with Store.open(store_url) as store:
        upsert_customers(store, [
            customer_input("A-1", names=["Vladimir Putin", "Влади́мир Пу́тин"]),
            customer_input("B_2", names="Jane Doe", birth_date="1990-01-01"),
            customer_input("C%3", names="100% Trading"),
        ], actor)
        def refs(text: str) -> list[str]:
            found = [c.ref for c in store.review.customers(match=text, limit=10)]
            assert store.review.count_customers(match=text) == len(found)
            return found
        assert refs("putin") == ["A-1"] and refs("PUTIN") == ["A-1"]
        assert refs("Пу́тин") == ["A-1"]
        assert refs("b_2") == ["B_2"] and refs("_") == ["B_2"] and refs("%") == ["C%3"]
        assert refs("1990") == [] and refs("names") == [] and refs("zzz") == []
        assert [c.ref for c in store.review.customers(match="", limit=10)] == [
            "A-1", "B_2", "C%3"]
