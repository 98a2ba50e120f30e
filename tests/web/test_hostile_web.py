"""The pages attacked: hostile form bodies, forged cookies, off-site redirects, traversal,
odd methods, file-job quotas and zip bombs, and the new API key shown once (post/redirect/
get). Real app, real SQLite store, real files; every test would fail before its fix."""

from __future__ import annotations

import io
import posixpath
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from discreet.store import Store
from discreet.web.jobs import JobBusy, Jobs, ServerBusy, _Turns, jobs_dir
from discreet.web.routes_admin import NEW_KEY_COOKIE
from discreet.web.session import safe_next
from tests.api.conftest import small_lists
from tests.web.conftest import PASSWORD, PEOPLE, csrf_of, make_web_app, sign_in

IMPORT_ROWS = 20_000  # a customer file that takes the store a few seconds to import


@dataclass
class Site:
    """One app over one store for the tests that only read, or add what nobody checks:
    an index load and sign-ins are most of a test's time."""

    url: str
    app: FastAPI

    def client(self, name: str | None = None) -> TestClient:
        """A browser (the app already started by the module's first client), signed in
        as ``name`` when given."""
        browser = TestClient(self.app, base_url="https://testserver")
        if name is not None:
            assert sign_in(browser, name).status_code == 303
        return browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = str(tmp_path_factory.mktemp("hostile") / "web.db")
    with Store.open(url) as store:
        small_lists(store)
        for name, roles in PEOPLE.items():
            store.users.add(name, roles, PASSWORD, by="setup")
    app = make_web_app(url)
    with TestClient(app, base_url="https://testserver"):
        assert app.state.services.holder.wait_ready(60), "index did not load"
        yield Site(url, app)


def _token(client: TestClient) -> str:
    return csrf_of(client.get("/ui/").text)


def _is_page(answer: Any) -> bool:
    """An answer under /ui is a page (the error page too), never JSON or a traceback."""
    return (answer.headers.get("content-type", "").startswith("text/html")
            and "Traceback" not in answer.text)


# -- the new API key: post/redirect/get, shown once -------------------------------------------


def test_a_new_key_is_shown_once_after_a_redirect_and_a_reload_makes_no_second_key(
        site: Site) -> None:
    adm = site.client("adm")
    with Store.open(site.url) as store:
        before = len(store.list_keys())
    posted = adm.post("/ui/admin/keys", data={"name": "crm once", "scopes": "screen",
                                              "csrf_token": _token(adm)},
                      follow_redirects=False)
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith("/ui/admin?") and "dk_" not in location
    sealed = next(v for k, v in posted.headers.multi_items()
                  if k == "set-cookie" and v.startswith(NEW_KEY_COOKIE))
    flags = {part.strip().lower() for part in sealed.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/ui/admin"} <= flags
    assert "dk_" not in sealed  # sealed, not the secret itself
    shown = adm.get(location)
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    secret = shown.text.split('id="new-key-secret"')[1].split('value="')[1].split('"')[0]
    assert secret.startswith("dk_")
    with Store.open(site.url) as store:
        assert store.find_key(secret) is not None
    # the reload: the secret is gone, the page says why, and still one key only
    again = adm.get(location)
    assert again.status_code == 200 and secret not in again.text
    assert 'id="new-key"' not in again.text and "shown once" in again.text
    with Store.open(site.url) as store:
        keys = store.list_keys()
    assert len(keys) == before + 1 and [k.name for k in keys].count("crm once") == 1


def test_the_new_key_cookie_opens_only_in_its_own_session(site: Site) -> None:
    adm = site.client("adm")
    posted = adm.post("/ui/admin/keys", data={"name": "k", "scopes": "screen",
                                              "csrf_token": _token(adm)},
                      follow_redirects=False)
    value = adm.cookies.get(NEW_KEY_COOKIE, path="/ui/admin")
    assert posted.status_code == 303 and value
    # a second admin session handed the cookie (stolen, or a shared browser) sees nothing
    with Store.open(site.url) as store:
        store.users.add("adm2", ["admin"], PASSWORD, by="test")
    other = site.client("adm2")
    for forged in (value, value[:-4] + "AAAA", "x" * 5000, "%%%", ""):
        other.cookies.set(NEW_KEY_COOKIE, forged, domain="testserver.local",
                          path="/ui/admin")
        page = other.get("/ui/admin")
        assert page.status_code == 200 and 'id="new-key"' not in page.text
        assert "dk_" not in page.text


# -- hostile bodies on every form ------------------------------------------------------------

POSTS = ("/ui/screen", "/ui/screen/file", "/ui/admin/users", "/ui/admin/keys",
         "/ui/admin/keys/revoke", "/ui/admin/users/roles", "/ui/admin/users/password",
         "/ui/admin/users/disable", "/ui/alerts/bulk", "/ui/alerts/1/comment",
         "/ui/alerts/1/attach", "/ui/alerts/1/decide", "/ui/alerts/1/approve",
         "/ui/customers/import", "/ui/login")


def _bodies(token: str) -> dict[str, tuple[bytes, str]]:
    form = "application/x-www-form-urlencoded"
    part = ('--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n").encode()
    return {
        "raw non-UTF-8": (f"csrf_token={token}&name=".encode() + b"\xff\xfe\x00a", form),
        "escaped non-UTF-8 and NUL": (f"csrf_token={token}&name=%ff%00%ed%a0%80&scopes=%ff"
                                      "&text=%00".encode(), form),
        "repeated and wrongly typed": (f"csrf_token={token}&name=a&name=b&version=abc&"
                                       "alert=zz&limit=1e999&threshold=nan&rate_limit="
                                       "99999999999999999999&action=x".encode(), form),
        "huge field": (f"csrf_token={token}&name=".encode() + b"a" * 600_000, form),
        "many fields": (f"csrf_token={token}&".encode()
                        + b"&".join(b"f%d=1" % i for i in range(1500)), form),
        "right-to-left and formula": (f"csrf_token={token}&name=".encode()
                                      + "\u202eevil\u200b=cmd|'/C calc'!A0".encode(), form),
        "multipart without boundary": (part, "multipart/form-data"),
        "multipart truncated": (part + b'--B\r\nContent-Disposition: form-data; name="file";'
                                b' filename="a.csv"\r\n\r\nid,name\n1,Put',
                                "multipart/form-data; boundary=B"),
        "multipart bogus charset": (part + b'--B\r\nContent-Disposition: form-data; '
                                    b'name="name"\r\n\r\n\xff\xfe\r\n--B--\r\n',
                                    "multipart/form-data; boundary=B; charset=bogus"),
        "JSON": (f'{{"csrf_token": "{token}"}}'.encode(), "application/json"),
        "no content type": (b"csrf_token=" + token.encode(), ""),
    }


def test_hostile_form_bodies_get_a_4xx_page_never_a_500(site: Site) -> None:
    adm = site.client("adm")
    token = _token(adm)
    for path in POSTS:
        for what, (body, kind) in _bodies(token).items():
            headers = {"content-type": kind} if kind else {}
            answer = adm.post(path, content=body, headers=headers, follow_redirects=False)
            assert answer.status_code < 500, (path, what, answer.text[:300])
            if answer.status_code >= 400:
                assert _is_page(answer), (path, what, answer.text[:300])
            if what == "multipart truncated":  # never read as if the rest were empty
                assert answer.status_code == 400 and "cut short" in answer.text, path
    assert adm.get("/ui/").status_code == 200  # the session lives on


# -- where a page may send the browser ---------------------------------------------------------

OFF_SITE = ("//evil.example", "https:evil.example", "https://evil.example/ui/", "/\\evil.example",
            "/ui\\..\\..\\evil", "\\/evil.example", "/%2F%2Fevil.example", "%2F%2Fevil.example",
            "\t//evil.example", " //evil.example", "javascript:alert(1)",
            "/ui/\r\nSet-Cookie: stolen=1", "/ui/../..//evil.example", "/uievil", "//ui/x",
            "/ui/%2e%2e/%2e%2e//evil.example", "/ui//evil.example", "/ui/%5C%5Cevil")


def test_the_page_after_sign_in_is_always_one_of_ours(site: Site) -> None:
    web_client = site.client()
    for target in OFF_SITE:
        kept = safe_next(target)
        assert kept.startswith("/ui") and kept == posixpath.normpath(kept) + (
            "/" if kept.endswith("/") and kept != "/" else ""), target
        assert not any(c in kept for c in "\\\r\n\t"), target
    assert safe_next("/ui/alerts?state=open") == "/ui/alerts?state=open"
    for target in (OFF_SITE[0], OFF_SITE[3], OFF_SITE[11], OFF_SITE[12]):  # end to end
        form = web_client.get("/ui/login", params={"next": target})
        assert form.status_code == 200
        answer = web_client.post("/ui/login", data={
            "name": "ana", "password": PASSWORD, "csrf_token": csrf_of(form.text),
            "next": target}, follow_redirects=False)
        assert answer.status_code == 303, target
        location = answer.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), target
        assert "\r" not in location and "\n" not in location
        assert not any(k.lower() == "set-cookie" and "stolen" in v
                       for k, v in answer.headers.multi_items())
        web_client.cookies.clear()


# -- cookies: forged, expired, another session's ----------------------------------------------


def test_forged_and_ended_session_cookies_lead_to_sign_in(site: Site) -> None:
    web_client = site.client()
    for forged in ("ds_" + "A" * 43, "ds_", "x", "ds_" + "é" * 60, '"ds_\\000abc"',
                   "ds_" + "A" * 400, "ds_%00%ff"):
        cookie = {b"cookie": f"discreet_session={forged}".encode()}  # raw, as sent
        answer = web_client.get("/ui/admin", headers=cookie, follow_redirects=False)
        assert answer.status_code == 303, forged
        assert answer.headers["location"].startswith("/ui/login?next=/ui/admin")
        posted = web_client.post("/ui/admin/keys", data={"name": "x", "csrf_token": "y"},
                                 headers=cookie, follow_redirects=False)
        assert posted.status_code == 303 and posted.headers["location"].startswith(
            "/ui/login"), forged
    # a session signed out is dead, and its CSRF token with it
    ana = site.client("ana")
    token = _token(ana)
    stolen = ana.cookies.get("discreet_session")
    assert ana.post("/ui/logout", data={"csrf_token": token},
                    follow_redirects=False).status_code == 303
    web_client.cookies.set("discreet_session", str(stolen), domain="testserver.local")
    assert web_client.post("/ui/screen", data={"name": "x", "csrf_token": token},
                           follow_redirects=False).headers["location"].startswith("/ui/login")


# -- methods, addresses, traversal ---------------------------------------------------------------


def test_odd_methods_long_addresses_and_traversal_are_4xx_pages(site: Site) -> None:
    adm = site.client("adm")
    for method in ("OPTIONS", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"):
        for path in ("/ui/", "/ui/login", "/ui/screen", "/ui/admin/keys", "/ui/nowhere"):
            answer = adm.request(method, path, follow_redirects=False)
            assert answer.status_code in (303, 404, 405), (method, path)
            if answer.status_code >= 400:
                assert _is_page(answer), (method, path)
    head = adm.head("/ui/")
    assert head.status_code in (200, 405) and not head.content
    for path in ("/ui/screen/file/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                 "/ui/screen/file/" + "0" * 32 + "/..%2F..%2Fstate.json",
                 "/ui/screen/file/" + "A" * 32 + "/alerts.csv",
                 "/ui/alerts/1/attachments/..%2F1", "/ui/alerts/-1",
                 "/ui/alerts/99999999999999999999", "/ui/lists/..%2F..%2Fetc%2Fpasswd",
                 "/ui/lists/" + "x" * 5000, "/ui/entities/%00%00", "/ui/entities/%ff%fe",
                 "/ui/entities/%ed%a0%80", "/ui/customers/%00", "/ui/customers/" + "x" * 600,
                 "/ui/regimes/..%2F", "/ui/regimes/" + "a" * 200,
                 "/ui/static/../routes_admin.py", "/ui/static/%2e%2e/routes_admin.py",
                 "/ui/static/..%2Froutes_admin.py", "/ui/" + "a/" * 3000,
                 "/ui/screen?" + "&".join(f"x{i}=1" for i in range(3000)),
                 "/ui/screen?name=%00&birth_date=%ff&limit=-1&threshold=inf&dataset=%00",
                 "/ui/lists/diff?source=us_ofac_sdn&from=99999999999999999999",
                 "/ui/alerts?page=0&sort=evil&dir=x", "/ui/customers?q=%00&page=99999999",
                 "/ui/entities?q=%00&offset=-1"):
        answer = adm.get(path, follow_redirects=False)
        assert answer.status_code < 500, (path, answer.text[:300])
        assert "import " not in answer.text and "def " not in answer.text, path
        if answer.status_code >= 400 and not path.startswith("/ui/static/"):
            assert _is_page(answer), path


# -- file jobs: nobody takes the queue or the disk from the others -----------------------------


def _write(size: int, pause: float = 0.0) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        time.sleep(pause)
        path.write_bytes(b"x" * size)
    return write


def test_one_person_cannot_take_the_file_queue_or_the_disk(tmp_path: Path) -> None:
    jobs = Jobs(tmp_path / "jobs", active_per_user=2, max_active=3, bytes_per_user=1000,
                max_bytes=2500, free_floor=0)
    first = jobs.create("eve", "a.csv", ".csv", {}, _write(10))
    jobs.create("eve", "b.csv", ".csv", {}, _write(10))
    with pytest.raises(JobBusy, match="2 of your files"):
        jobs.create("eve", "c.csv", ".csv", {}, _write(10))
    jobs.create("ana", "a.csv", ".csv", {}, _write(10))  # someone else still may
    with pytest.raises(ServerBusy, match="screening 3 files"):
        jobs.create("rui", "a.csv", ".csv", {}, _write(10))
    # finished jobs make room in their owner's share, oldest first; a file over the share
    # is refused with the figures
    for job in jobs.of("eve"):
        job.state = "done"
        jobs.update(job)
    jobs.create("eve", "big.csv", ".csv", {}, _write(900), size=900)
    assert not jobs.path(first.id).exists()
    with pytest.raises(JobBusy, match="share"):
        jobs.create("eve", "more.csv", ".csv", {}, _write(200), size=200)
    # the disk keeps its floor for the store
    full = Jobs(tmp_path / "jobs", free_floor=1 << 62)
    with pytest.raises(ServerBusy, match="free"):
        full.create("rui", "a.csv", ".csv", {}, _write(1), size=1)


def test_a_burst_of_uploads_cannot_slip_past_the_limit_together(tmp_path: Path) -> None:
    jobs = Jobs(tmp_path / "jobs", active_per_user=2, free_floor=0)
    made: list[str] = []
    refused: list[str] = []

    def upload() -> None:
        try:
            made.append(jobs.create("eve", "a.csv", ".csv", {}, _write(10, 0.05)).id)
        except JobBusy as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=upload) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and len(refused) == 10
    assert len(list((tmp_path / "jobs").glob("*/state.json"))) == 2


def test_a_queue_of_one_persons_files_does_not_hold_back_another_persons() -> None:
    turns = _Turns()
    order: list[str] = []
    release = threading.Event()

    def run(owner: str, created: float, name: str, hold: bool = False) -> None:
        with turns.turn(owner, created, name):
            order.append(name)
            if hold:
                release.wait(10)

    first = threading.Thread(target=run, args=("eve", 0.0, "eve-0", True))
    first.start()
    while not order:
        time.sleep(0.01)
    waiting = [threading.Thread(target=run, args=(owner, created, name)) for owner, created,
               name in (("eve", 1.0, "eve-1"), ("eve", 2.0, "eve-2"), ("eve", 3.0, "eve-3"),
                        ("ana", 4.0, "ana-1"))]
    for thread in waiting:
        thread.start()
    while len(turns._waiting) < 4:
        time.sleep(0.01)
    release.set()
    for thread in (first, *waiting):
        thread.join(10)
    assert order == ["eve-0", "ana-1", "eve-1", "eve-2", "eve-3"]


def _bomb(name: str = "sheet1.xml", size: int = 9 * 1024 * 1024) -> bytes:
    """A zip whose one part unpacks to ``size`` bytes from a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"xl/worksheets/{name}", b"\0" * size)
    return buffer.getvalue()


def test_a_zip_bomb_workbook_is_refused_before_it_is_read(site: Site) -> None:
    ana = site.client("ana")
    bomb = _bomb()
    assert len(bomb) < 100_000
    answer = ana.post("/ui/screen/file", data={"csrf_token": _token(ana)},
                      files={"file": ("bomb.xlsx", bomb)}, follow_redirects=False)
    assert answer.status_code == 400 and "unpacks to" in answer.text
    assert "save it as CSV" in answer.text and _is_page(answer)
    assert not any(jobs_dir(site.url).glob("*/bomb*"))
    assert not any(jobs_dir(site.url).glob("*/input.xlsx"))
    imported = ana.post("/ui/customers/import", data={"csrf_token": _token(ana)},
                        files={"file": ("bomb.xlsx", bomb)}, follow_redirects=False)
    assert imported.status_code == 400 and "unpacks to" in imported.text


# -- sign-in throttling: nobody held up by someone else's guesses ------------------------------


def test_a_guesser_at_the_same_address_does_not_hold_up_a_browser_known_to_the_account(
        web_url: str) -> None:
    app = make_web_app(web_url)
    with TestClient(app, base_url="https://testserver") as legit, \
            TestClient(app, base_url="https://testserver") as guesser:
        assert app.state.services.holder.wait_ready(60)
        assert sign_in(legit, "ana").status_code == 303
        device = legit.cookies.get("discreet_device", path="/ui/login")
        assert device
        assert legit.post("/ui/logout", data={"csrf_token": _token(legit)},
                          follow_redirects=False).status_code == 303
        # the same address (both are "testclient") guesses at ana's password
        for _ in range(6):
            assert sign_in(guesser, "ana", "wrong guess").status_code in (401, 429)
        assert sign_in(guesser, "ana").status_code == 429  # the guesser is held
        # ana's own browser is not: it signed in to ana before
        back = sign_in(legit, "ana")
        assert back.status_code == 303, back.text[:300]
        # a device cookie cannot be made up, nor taken from another account
        altered = device[:-1] + ("1" if device[-1] == "0" else "0")  # one digit changed
        for forged in ("0" * 32 + "." + "0" * 32, altered, "x"):
            guesser.cookies.set("discreet_device", forged, domain="testserver.local",
                                path="/ui/login")
            assert sign_in(guesser, "ana").status_code == 429, forged
        guesser.cookies.set("discreet_device", device, domain="testserver.local",
                            path="/ui/login")
        assert sign_in(guesser, "rui").status_code == 303  # rui was never held anyway
        for _ in range(6):
            sign_in(legit, "rita", "wrong guess")
        assert sign_in(legit, "rita").status_code == 429  # ana's device is not rita's


# -- long work leaves the shared store connection free -----------------------------------------


def test_a_long_customer_import_does_not_hold_up_everyone_elses_pages(web_url: str) -> None:
    app = make_web_app(web_url, max_body_bytes=16 * 1024 * 1024)
    rows = "".join(f"c{n},Customer Number {n} Example,1970-01-01,de\n"
                   for n in range(IMPORT_ROWS))
    book = ("id,name,birth_date,country\n" + rows).encode()
    with TestClient(app, base_url="https://testserver") as ana, \
            TestClient(app, base_url="https://testserver") as aud:
        assert app.state.services.holder.wait_ready(60)
        assert sign_in(ana, "ana").status_code == 303
        assert sign_in(aud, "aud").status_code == 303
        token = _token(ana)
        answers: list[int] = []

        def load() -> None:
            answers.append(ana.post("/ui/customers/import", data={"csrf_token": token},
                                    files={"file": ("book.csv", book)},
                                    follow_redirects=False).status_code)

        importing = threading.Thread(target=load)
        importing.start()
        time.sleep(0.5)  # the import is under way
        assert importing.is_alive(), "the import was too quick to tell"
        page = aud.get("/ui/lists")  # a session check and a read of the store
        still = importing.is_alive()
        importing.join(120)
        assert page.status_code == 200 and answers == [200]
        assert still, "the page waited for the whole import"


def test_names_with_characters_nobody_sees_are_refused_with_the_character(
        site: Site) -> None:
    adm = site.client("adm")
    for name, code in (("adm\u200b", "U+200B"), ("\u202etnuocca", "U+202E"),
                       ("rui\x00", "U+0000"), ("a\u2066b", "U+2066")):
        answer = adm.post("/ui/admin/users", data={
            "name": name, "roles": "analyst", "password": PASSWORD,
            "password_again": PASSWORD, "csrf_token": _token(adm)}, follow_redirects=False)
        assert answer.status_code == 400 and code in answer.text, name
        key = adm.post("/ui/admin/keys", data={"name": name, "scopes": "screen",
                                               "csrf_token": _token(adm)},
                       follow_redirects=False)
        assert key.status_code == 400 and code in key.text, name
    persian = "محمد\u200cرضا"  # the joiner belongs to the name
    assert adm.post("/ui/admin/users", data={
        "name": persian, "roles": "analyst", "password": PASSWORD,
        "password_again": PASSWORD, "csrf_token": _token(adm)},
        follow_redirects=False).status_code == 303
    with Store.open(site.url) as store:
        names = {u.name for u in store.users.users()}
        keys = {k.name for k in store.list_keys()}
    assert persian in names
    for hidden in ("adm\u200b", "\u202etnuocca", "rui\x00", "a\u2066b"):
        assert hidden not in names and hidden not in keys


# -- hostile customer files: read in seconds, or refused in one line ---------------------------

_SHEET = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
          'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{}'
          '</sheetData></worksheet>')


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _claims_the_whole_sheet() -> bytes:
    """A 2 KB workbook whose <dimension> claims 16,384 columns by 1,048,576 rows."""
    rows = (f'<row r="1">{_cell("A1", "id")}{_cell("B1", "name")}</row>'
            f'<row r="2">{_cell("A2", "1")}{_cell("B2", "Vladimir PUTIN")}</row>'
            f'<row r="900000">{_cell("A900000", "2")}{_cell("B900000", "Kim Jong Un")}</row>')
    main = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{main}/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/><Default '
        'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{main}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{main}/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}/spreadsheetml/'
        f'2006/main" xmlns:r="{main}/officeDocument/2006/relationships"><sheets><sheet '
        'name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{main}/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{main}/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": _SHEET.format(rows)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _finished(client: TestClient, location: str, seconds: float = 45) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        status: dict[str, Any] = client.get(f"{location}/status").json()
        if status["state"] not in ("queued", "running") or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def test_hostile_customer_files_are_screened_in_seconds_or_refused_in_one_line(site: Site) -> None:
    ana = site.client("ana")
    files = {
        # read-only openpyxl padded every row to the claimed dimension: the job never ended
        "whole-sheet.xlsx": (_claims_the_whole_sheet(), 2, 0),
        # UTF-16 (Excel's "Unicode text"): was refused as "no name column: ÿþi\0d\0…"
        "unicode.csv": ("id,name\n1,Vladimir PUTIN\n".encode("utf-16"), 1, 0),
        # a line nested 100,000 deep was "the request is nested too deeply": one row now
        "deep.jsonl": (b'{"id": "1", "name": "Kim Jong Un"}\n{"id": "2", "name": '
                       + b"[" * 100_000 + b"]" * 100_000 + b"}\n", 2, 1)}
    for name, (content, rows, rejected) in files.items():
        answer = ana.post("/ui/screen/file", data={"csrf_token": _token(ana)},
                          files={"file": (name, content)}, follow_redirects=False)
        assert answer.status_code == 303, (name, answer.text[:500])
        status = _finished(ana, answer.headers["location"])
        assert status["state"] == "done" and status["done"] == rows, (name, status)
        results = ana.get(answer.headers["location"] + "/results.jsonl").text
        assert results.count('"error"') == rejected, (name, results[:500])
        if rejected:
            assert "nested too deeply" in results
        else:
            assert "PUTIN" in ana.get(answer.headers["location"] + "/alerts.csv").text
    broken = "id,name\n1,PUTIN\n".encode("utf-16")[:-1]  # an odd byte: not UTF-16
    refused = ana.post("/ui/screen/file", data={"csrf_token": _token(ana)},
                       files={"file": ("broken.csv", broken)}, follow_redirects=False)
    assert refused.status_code == 400 and "UTF-16" in refused.text
