"""The screen pages: one name with its explanation drawn, and customer files screened in
background jobs (real app, real SQLite store, real bulk pipeline; no mocks)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from discreet.model import Entity, Name
from discreet.store import SameAs, Store
from discreet.store.audit import AuditRecord
from discreet.web.jobs import JobBusy, Jobs, jobs_dir
from tests.api.helpers import load_entities, person
from tests.web.conftest import csrf_of, make_web_app, sign_in

HOSTILE = "Ivan <script>alert('x')</script> PETROV"


@pytest.fixture
def web_url(web_url: str) -> str:
    """The conftest's store, plus a list whose names are hostile and a listed programme."""
    with Store.open(web_url) as store:
        listed = Entity("eu-1", "Person", source="eu_fsf", authority="EU", authority_id="EU.1",
                        names=[Name(HOSTILE)], programmes=["UKR-<b>bold</b>"]).finish()
        load_entities(store, "eu_fsf", [listed, person("eu-2", "Sergei LAVROV", "eu_fsf",
                                                       "1950-03-21", "ru")])
        # the same party on a second authority's list: one result, both listings
        load_entities(store, "gb_fcdo_sanctions", [person(
            "gb-1", "Sergey Viktorovich LAVROV", "gb_fcdo_sanctions", "1950-03-21", "ru")])
        store.replace_proposed_links([SameAs("eu-2", "gb-1", "name", 0.9, ("same name",))])
    return web_url


def _results(page: str) -> str:
    """The results section of a page (the form echoes the query too)."""
    start = page.index('id="results"')
    return page[start:]


def _wait(client: TestClient, location: str, seconds: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while True:
        status = client.get(f"{location}/status").json()
        if status["state"] not in ("queued", "running") or time.monotonic() > deadline:
            return dict(status)
        time.sleep(0.05)


def _upload(client: TestClient, content: bytes, name: str = "customers.csv",
            **fields: str) -> httpx2.Response:
    form = client.get("/ui/screen/file")
    assert form.status_code == 200 and 'id="file-form"' in form.text
    assert 'data-max-bytes="' in form.text and "/ui/static/screen.js" in form.text
    return client.post("/ui/screen/file", data={"csrf_token": csrf_of(form.text), **fields},
                       files={"file": (name, content, "text/csv")}, follow_redirects=False)


# -- one name ------------------------------------------------------------------------------


def test_a_cyrillic_name_finds_putin_with_its_words_aligned(
        signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    form = ana.get("/ui/screen")
    assert form.status_code == 200 and 'id="screen-form"' in form.text
    assert 'id="results"' not in form.text  # no query, no results
    page = ana.get("/ui/screen", params={"name": "Владимир Путин", "birth_date": "1952",
                                         "country": "ru", "schema": "Person"})
    assert page.status_code == 200
    results = _results(page.text)
    first = results[:results.index("</article>")]
    assert "Vladimir Vladimirovich PUTIN" in first and 'href="/ui/entities/ofac-1"' in first
    # the alignment: each Cyrillic word beside the listed word it met, and how
    align = first[first.index('class="align"'):first.index("</table>")]
    assert align.count("<tr class=\"align-transliterated\">") == 2
    row = align[align.index("Путин"):]
    assert "PUTIN" in row[:row.index("</tr>")] and "same name in another script" in row
    assert "Vladimirovich" in first  # the listed word with no partner
    # what each piece of evidence added: the birth date and the country, with the total
    parts = first[first.index('class="parts"'):]
    assert "Birth date" in parts and "+0.06" in parts and "Country" in parts
    assert "us_ofac_sdn" in first and "⚑ Alert" in first  # its list, and said in words
    # another script, another shape of word: Korean, a syllable a token
    korean = _results(ana.get("/ui/screen", params={"name": "김정은"}).text)
    hit = korean[:korean.index("</article>")]
    assert "KIM JONG UN" in hit
    for syllable, listed in (("김", "KIM"), ("정", "JONG"), ("은", "UN")):
        row = hit[hit.index(f'<span class="word">{syllable}</span>'):]
        assert f'<span class="word">{listed}</span>' in row[:row.index("</tr>")], syllable


def test_a_screening_is_the_apis_and_is_audited_under_the_persons_name(
        signed_in: Callable[[str], TestClient], web_url: str) -> None:
    ana = signed_in("ana")
    page = ana.get("/ui/screen", params={"name": "Sergei Lavrov", "threshold": "0.9",
                                         "dataset": "eu_fsf"})
    assert page.status_code == 200 and "Sergei LAVROV" in _results(page.text)
    # a dataset narrows exactly as /match/{dataset} does: Putin is on another list
    other = ana.get("/ui/screen", params={"name": "Vladimir Putin", "dataset": "eu_fsf"})
    assert "PUTIN" not in _results(other.text)
    # below the threshold a candidate is shown as such, in words
    low = ana.get("/ui/screen", params={"name": "Vladimir Putinov", "threshold": "1"})
    assert "Below the threshold" in _results(low.text)
    deadline = time.monotonic() + 10
    records: list[AuditRecord] = []
    while time.monotonic() < deadline and len(records) < 3:
        with Store.open(web_url) as store:
            records = store.read_audit(key_id="user:ana", limit=10)
        time.sleep(0.1)
    assert len(records) == 3, records
    lavrov = next(r for r in records if r.dataset == "eu_fsf"
                  and "Sergei Lavrov" in json.dumps(r.request, ensure_ascii=False))
    assert lavrov.endpoint == "match" and lavrov.status == 200
    assert lavrov.results["ui"][0][0] == "eu-2" and lavrov.versions["eu_fsf"] == 1
    # the form posted leads to the same results at a bookmarkable address
    rui = signed_in("rui")
    form = rui.get("/ui/screen")
    answer = rui.post("/ui/screen", data={"csrf_token": csrf_of(form.text),
                                          "name": "Kim Jong Un", "schema": "Person"},
                      follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/ui/screen?")
    assert "KIM JONG UN" in _results(rui.get(answer.headers["location"]).text)
    refused = rui.post("/ui/screen", data={"name": "Kim Jong Un"}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token


def test_hostile_list_names_are_inert(signed_in: Callable[[str], TestClient]) -> None:
    adm = signed_in("adm")
    page = adm.get("/ui/screen", params={"name": "Ivan Petrov <script>x()</script>"})
    assert page.status_code == 200
    results = _results(page.text)
    assert "PETROV" in results
    assert "<script>" not in page.text and "<b>bold</b>" not in page.text
    assert "&lt;script&gt;alert(" in results and "UKR-&lt;b&gt;bold&lt;/b&gt;" in results
    # one party listed by two authorities is one result naming both listings and versions
    lavrov = _results(adm.get("/ui/screen", params={"name": "Sergei Lavrov"}).text)
    assert lavrov.count('<article class="hit') == 1
    sources = lavrov[lavrov.index('class="sources"'):]
    sources = sources[:sources.index("</table>")]
    assert "eu_fsf" in sources and "gb_fcdo_sanctions" in sources and "Its own score" in sources
    assert 'href="/ui/entities/gb-1"' in sources or 'href="/ui/entities/eu-2"' in sources


BAD_QUERIES = [
    ({"name": "Vladimir Putin", "birth_date": "31/02/19x"}, "could not be read"),
    ({"name": "Vladimir Putin", "birth_date": "not a date"}, "could not be read"),
    ({"name": "Vladimir Putin", "threshold": "high"}, "is not a number from 0 to 1"),
    ({"name": "Vladimir Putin", "threshold": "1.5"}, "is not a number from 0 to 1"),
    ({"name": "Vladimir Putin", "limit": "0"}, "whole number from 1 to 50"),
    ({"name": "   "}, "Enter the name to screen"),
    ({"name": "Vladimir Putin", "schema": "Spaceship"}, "not a kind of party"),
    ({"name": "Vladimir Putin", "dataset": "nowhere"}, "not a loaded list"),
]


def test_bad_input_is_said_plainly_on_the_form(signed_in: Callable[[str], TestClient]) -> None:
    ana = signed_in("ana")
    for params, said in BAD_QUERIES:
        page = ana.get("/ui/screen", params=params)
        assert page.status_code == 400, params
        assert said in page.text.replace("&#39;", "'"), params
        assert 'id="screen-form"' in page.text and 'id="results"' not in page.text
        assert 'aria-invalid="true"' in page.text
    assert ana.get("/ui/screen", params={"name": "x" * 501}).status_code == 422


def test_an_auditor_may_not_screen(signed_in: Callable[[str], TestClient]) -> None:
    aud = signed_in("aud")
    for path in ("/ui/screen", "/ui/screen?name=Putin", "/ui/screen/file"):
        page = aud.get(path)
        assert page.status_code == 403 and "analyst or reviewer or admin" in page.text, path
    token = csrf_of(aud.get("/ui/").text)
    for path in ("/ui/screen", "/ui/screen/file"):
        answer = aud.post(path, data={"csrf_token": token, "name": "Putin"},
                          files={"file": ("a.csv", b"id,name\n1,Putin\n", "text/csv")},
                          follow_redirects=False)
        assert answer.status_code == 403, path


# -- files ---------------------------------------------------------------------------------


def test_a_files_alert_table_names_the_alerted_listings_programmes(
        signed_in: Callable[[str], TestClient]) -> None:
    """The alert table's programmes column holds the programmes of the listing alerted on,
    and none where the listing names none (read as bulk screening reads them)."""
    ana = signed_in("ana")
    rows = ["id,name", f'p1,"{HOSTILE}"', "p2,Kim Jong Un"]
    answer = _upload(ana, ("\n".join(rows) + "\n").encode())
    assert answer.status_code == 303, answer.text
    location = str(answer.headers["location"])
    assert _wait(ana, location)["state"] == "done"
    table = list(csv.DictReader(io.StringIO(ana.get(f"{location}/alerts.csv").text)))
    programmes = {(r["input_id"], r["entity_id"]): r["programmes"] for r in table}
    assert programmes[("p1", "eu-1")] == "UKR-<b>bold</b>"
    assert programmes[("p2", "un-1")] == ""


def test_a_file_is_screened_its_bad_row_reported_and_its_alerts_downloaded(
        signed_in: Callable[[str], TestClient], web_url: str) -> None:
    ana = signed_in("ana")
    rows = ["Customer No,Full Name,DOB", "c1,Vladimir Putin,1952-10-07",
            'c2,"Kim Jong Un",1984',
            "c3,Ivan <script>x</script> Petrov,1970,surplus <script>",  # one value too many
            "c4,Anne Nobody,1990", "c5,,1990"]  # no name
    answer = _upload(ana, ("\n".join(rows) + "\n").encode(), mapping=(
        "id=Customer No,name=Full Name,birth_date=DOB"), keep="Full Name")
    assert answer.status_code == 303, answer.text
    location = str(answer.headers["location"])
    status = _wait(ana, location)
    assert status == {"done": 5, "total": 5, "state": "done",
                      "message": "Done: 5 rows screened."}
    page = ana.get(location)
    assert page.status_code == 200 and 'id="download-alerts"' in page.text
    rejects = page.text[page.text.index('id="rejects"'):]
    rejects = rejects[:rejects.index("</ul>")]
    assert "line 4" in rejects and "4 values for 3 columns" in rejects
    assert "line 6" in rejects and "no name" in rejects
    assert "<script>" not in page.text
    figures = {k: page.text.split(f'id="count-{k}"')[1].split("</p>")[0].rsplit(">", 1)[1]
               for k in ("rows", "screened", "rejected", "alerts")}
    assert figures == {"rows": "5", "screened": "3", "rejected": "2", "alerts": "2"}
    alerts = ana.get(f"{location}/alerts.csv")
    assert alerts.status_code == 200 and alerts.headers["content-type"].startswith("text/csv")
    assert "attachment" in alerts.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(alerts.text)))
    found = {(r["input_id"], r["entity_id"]) for r in table if r["entity_id"]}
    assert found == {("c1", "ofac-1"), ("c2", "un-1")}
    assert {r["Full Name"] for r in table if r["input_id"] == "c1"} == {"Vladimir Putin"}
    assert {r["input_id"] for r in table if r["error"]} == {"c3", "c5"}
    lines = ana.get(f"{location}/results.jsonl").text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["c1", "c2", "c3", "c4", "c5"]
    # audited under the person's name: the file's digest, the versions, every alert
    deadline = time.monotonic() + 10
    records: list[AuditRecord] = []
    while time.monotonic() < deadline and not records:
        with Store.open(web_url) as store:
            records = [r for r in store.read_audit(key_id="user:ana")
                       if r.endpoint == "screen-file"]
        time.sleep(0.1)
    assert len(records) == 1 and records[0].request["file"] == "customers.csv"
    assert len(records[0].request["sha256"]) == 64 and records[0].versions["un_sc_sanctions"]
    assert sorted(m[:2] for m in records[0].results["matches"]) == [["c1", "ofac-1"],
                                                                    ["c2", "un-1"]]


def test_jobs_are_their_owners_alone_and_any_worker_answers(
        signed_in: Callable[[str], TestClient], web_url: str) -> None:
    ana = signed_in("ana")
    answer = _upload(ana, b"id,name\n1,Kim Jong Un\n", "<img src=x onerror=alert(1)>.csv")
    location = str(answer.headers["location"])
    for page in (ana.get(location).text, ana.get("/ui/screen/file").text):
        assert "<img" not in page and "&lt;img src=x" in page  # a file name is inert too
    assert _wait(ana, location)["state"] == "done"
    rui = signed_in("rui")
    for suffix in ("", "/status", "/alerts.csv", "/results.jsonl"):
        refused = rui.get(location + suffix)
        assert refused.status_code == 404, suffix
    assert location.rsplit("/", 1)[1] not in rui.get("/ui/screen/file").text
    assert location.rsplit("/", 1)[1] in ana.get("/ui/screen/file").text
    assert ana.get("/ui/screen/file/../../etc/passwd").status_code == 404
    assert ana.get("/ui/screen/file/" + "0" * 32).status_code == 404
    # a second app over the same store, as a second uvicorn worker: it follows the job
    # and serves its files (the job's state is on disk, not in the process that ran it)
    other = make_web_app(web_url, rate_limit=3)
    with TestClient(other, base_url="https://testserver") as second:
        assert other.state.services.holder.wait_ready(60)
        assert sign_in(second, "ana").status_code == 303
        assert _wait(second, location)["state"] == "done"
        assert "un-1" in second.get(f"{location}/alerts.csv").text
        assert location.rsplit("/", 1)[1] in second.get("/ui/screen/file").text
        # screening in the browser counts against the API's rate limit of the person
        for _ in range(5):  # the limiter's burst: at least five
            assert second.get("/ui/screen", params={"name": "Kim"}).status_code == 200
        held = second.get("/ui/screen", params={"name": "Kim"})
        assert held.status_code == 429 and "rate limit of 3" in held.text
        assert int(held.headers["retry-after"]) > 0
    # a job still waiting shows its progress, which the page polls
    waiting = Jobs(jobs_dir(web_url)).create("ana", "w.csv", ".csv", {},
                                             lambda p: p.write_bytes(b"id,name\n1,X\n"))
    page = ana.get(f"/ui/screen/file/{waiting.id}").text
    assert f'data-progress="/ui/screen/file/{waiting.id}/status"' in page and "<progress" in page
    assert ana.get(f"/ui/screen/file/{waiting.id}/status").json()["state"] == "queued"
    token = csrf_of(page)
    assert ana.post(f"/ui/screen/file/{waiting.id}/delete", data={"csrf_token": token},
                    follow_redirects=False).status_code == 409  # not while it runs
    # the owner deletes a finished one; nobody else can
    assert rui.post(f"{location}/delete", data={"csrf_token": csrf_of(rui.get("/ui/").text)},
                    follow_redirects=False).status_code == 404
    assert ana.post(f"{location}/delete", data={}, follow_redirects=False).status_code == 403
    gone = ana.post(f"{location}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert gone.status_code == 303 and ana.get(location).status_code == 404
    assert not (jobs_dir(web_url) / location.rsplit("/", 1)[1]).exists()


BAD_FILES: list[tuple[bytes, str, dict[str, str], str]] = [
    (b"", "empty.csv", {}, "The file is empty"),
    (b"id,name\n", "header.csv", {}, "no rows"),
    (b"id,name\n1,Putin\n", "a.csv", {"mapping": "nickname=Nick"}, "unknown field"),
    (b"id,name\n1,Putin\n", "a.csv", {"threshold": "2"}, "not a number from 0 to 1"),
    (b"id,name\n1,Putin\n", "a.csv", {"input_format": "docx"}, "not a file format"),
    (b"\x00\x01 not a workbook", "a.xlsx", {}, "a.xlsx"),
]


def test_a_file_that_cannot_be_screened_is_refused_on_the_form(
        signed_in: Callable[[str], TestClient], web_url: str) -> None:
    ana = signed_in("ana")
    for content, name, fields, said in BAD_FILES:
        answer = _upload(ana, content, name, **fields)
        assert answer.status_code == 400, (name, fields, answer.text)
        assert said in answer.text and 'id="file-form"' in answer.text, (name, fields)
        assert "input.xlsx" not in answer.text  # the server's own path is not shown
    assert not any(jobs_dir(web_url).glob("*/input*"))  # nothing kept of refused files
    blank = ana.post("/ui/screen/file", data={"csrf_token": csrf_of(ana.get("/ui/").text)},
                     follow_redirects=False)
    assert blank.status_code == 400 and "Choose the file" in blank.text
    refused = ana.post("/ui/screen/file", files={"file": ("a.csv", b"id,name\n1,Putin\n")},
                       follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token


# -- the job directory ---------------------------------------------------------------------


def test_a_job_whose_process_died_is_failed_and_old_jobs_go(tmp_path: Path) -> None:
    jobs = Jobs(jobs_dir(str(tmp_path / "x.db")), keep_seconds=3600)
    assert jobs.root == tmp_path / ".x.db.web-jobs"
    job = jobs.create("ana", "a.csv", ".csv", {}, lambda p: p.write_bytes(b"id,name\n"))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    job.pid = int(gone.stdout)  # a process that has exited
    job.state = "running"
    jobs.update(job)
    seen = jobs.get(job.id, "ana")
    assert seen is not None and seen.state == "failed" and "stopped" in seen.message
    assert jobs.get(job.id, "rui") is None
    # a live process that reused the pid of the one that died is not taken for it
    reused = jobs.create("ana", "r.csv", ".csv", {}, lambda p: p.write_bytes(b"x"))
    assert jobs.get(reused.id, "ana").state == "queued"  # type: ignore[union-attr]
    reused.started_at = "1"  # the pid is this process's, which started later
    jobs.update(reused)
    assert jobs.get(reused.id, "ana").state == "failed"  # type: ignore[union-attr]
    jobs.remove(reused.id)
    # an old finished job is deleted at the next sweep; a recent one stays
    recent = jobs.create("ana", "b.csv", ".csv", {}, lambda p: p.write_bytes(b"x"))
    state = jobs.path(job.id) / "state.json"
    data = json.loads(state.read_text())
    data["updated"] = time.time() - 7200
    state.write_text(json.dumps(data))
    assert jobs.sweep() == 1
    assert not jobs.path(job.id).exists() and jobs.path(recent.id).exists()
    assert os.stat(jobs.path(recent.id)).st_mode & 0o077 == 0  # private to the server
    # a person with as many running jobs as are kept must wait for one to end
    busy = Jobs(jobs.root, per_user=1)
    with pytest.raises(JobBusy, match="still being screened"):
        busy.create("ana", "c.csv", ".csv", {}, lambda p: p.write_bytes(b"x"))
    assert busy.create("rui", "c.csv", ".csv", {}, lambda p: p.write_bytes(b"x")).owner == "rui"


def test_words_are_shown_as_written_not_as_compared() -> None:
    """The alignment shows the words people wrote; the matcher's tokens only beside them."""
    from discreet.web.routes_screen import _word, _written

    written = _written('PUTIN, Vladimir «Vova» Al-Qaida 金正恩')
    assert _word("putin", written).written == "PUTIN"
    assert _word("vova", written).written == "Vova"
    assert _word("al", written).written == "Al" and _word("qaida", written).written == "Qaida"
    assert _word("jin zheng", written).written == "金 正"  # a syllable a token
    assert _word("kim", _written("김정은")).written == "김"
    assert _word("vladimir", written).differs is False
    assert _word("unknown", written).written == "unknown"  # a token no word gives


def test_every_format_screen_file_reads_is_taken(signed_in: Callable[[str], TestClient],
                                                 tmp_path: Path) -> None:
    """Excel, Parquet and JSON lines as well as CSV: the readers of ``screen-file``."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": "k1", "name": "Kim Jong Un"}, {"id": "k2", "name": "Nobody At All"}]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name"])
    for row in rows:
        sheet.append([row["id"], row["name"]])
    book.save(tmp_path / "c.xlsx")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet")
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    ana = signed_in("ana")
    for name in ("c.xlsx", "c.parquet", "c.jsonl"):
        answer = _upload(ana, (tmp_path / name).read_bytes(), name)
        assert answer.status_code == 303, (name, answer.text)
        location = str(answer.headers["location"])
        assert _wait(ana, location)["state"] == "done", name
        table = list(csv.DictReader(io.StringIO(ana.get(f"{location}/alerts.csv").text)))
        assert [(r["input_id"], r["entity_id"]) for r in table] == [("k1", "un-1")], name
