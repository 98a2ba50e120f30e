"""The admin page: users and API keys, for admins only, every change audited.

Each test changes users or keys, so each has its own store (the conftest's fixtures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from discreet.store import Store
from tests.web.conftest import PASSWORD, csrf_of, sign_in

HOSTILE = "<script>alert(1)</script>"


def _post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    """A form sent from the admin page, with its CSRF token."""
    token = csrf_of(client.get("/ui/").text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def _events(url: str, name: str) -> list[tuple[str, str, Any]]:
    with Store.open(url) as store:
        return [(r.endpoint, r.actor, r.request) for r in store.audit_chain()
                if r.endpoint == name]


def test_only_admins_reach_the_admin_page(signed_in: Callable[[str], TestClient],
                                          web_url: str) -> None:
    for name in ("ana", "rui", "aud"):
        client = signed_in(name)
        page = client.get("/ui/admin")
        assert page.status_code == 403, name
        assert "needs the role admin" in page.text
        # a form forged with the person's own valid token is refused too
        refused = _post(client, "/ui/admin/users", {"name": "mallory", "roles": "admin",
                                                    "password": PASSWORD,
                                                    "password_again": PASSWORD})
        assert refused.status_code == 403, name
        assert _post(client, "/ui/admin/keys", {"name": "x", "scopes": "admin"}
                     ).status_code == 403
    adm = signed_in("adm")
    page = adm.get("/ui/admin")
    assert page.status_code == 200
    for hook in ('id="users"', 'id="add-user-form"', 'id="keys"', 'id="create-key-form"'):
        assert hook in page.text
    with Store.open(web_url) as store:
        assert "mallory" not in {u.name for u in store.users.users()}
        assert store.list_keys() == []


def test_a_post_without_the_csrf_token_changes_nothing(
        signed_in: Callable[[str], TestClient], web_url: str) -> None:
    adm = signed_in("adm")
    for path, data in (("/ui/admin/users", {"name": "eve", "roles": "admin",
                                            "password": PASSWORD, "password_again": PASSWORD}),
                       ("/ui/admin/users/disable", {"name": "ana"}),
                       ("/ui/admin/keys", {"name": "k", "scopes": "screen"}),
                       ("/ui/admin/users/roles", {"name": "ana", "roles": "admin"})):
        answer = adm.post(path, data=data, follow_redirects=False)
        assert answer.status_code == 403, path
        wrong = adm.post(path, data={**data, "csrf_token": "0" * 64}, follow_redirects=False)
        assert wrong.status_code == 403, path
    with Store.open(web_url) as store:
        assert "eve" not in {u.name for u in store.users.users()}
        assert store.users.user("ana").active and store.users.user("ana").roles == ("analyst",)
        assert store.list_keys() == []


def test_add_a_user_set_roles_and_password_and_disable(
        signed_in: Callable[[str], TestClient], web_client: TestClient,
        web_url: str) -> None:
    adm = signed_in("adm")
    added = _post(adm, "/ui/admin/users", {"name": "  nina  ", "roles": ["analyst", "auditor"],
                                           "password": "nina's long secret",
                                           "password_again": "nina's long secret"})
    assert added.status_code == 303
    page = adm.get(added.headers["location"])
    assert "User nina added." in page.text and "analyst, auditor" in page.text
    assert ("user.add", "adm", {"user": "nina", "roles": ["analyst", "auditor"],
                                "origin": "local"}) in _events(web_url, "user.add")
    assert sign_in(web_client, "nina", "nina's long secret").status_code == 303

    assert _post(adm, "/ui/admin/users/roles", {"name": "nina", "roles": "reviewer"}
                 ).status_code == 303
    assert any(e[1] == "adm" and e[2]["to"] == ["reviewer"]
               for e in _events(web_url, "user.roles"))
    assert _post(adm, "/ui/admin/users/password", {"name": "nina",
                                                   "password": "a brand new secret"}
                 ).status_code == 303
    # the new password ended nina's session; the old password no longer works
    assert web_client.get("/ui/", follow_redirects=False).status_code == 303
    assert sign_in(web_client, "nina", "nina's long secret").status_code == 401
    assert sign_in(web_client, "nina", "a brand new secret").status_code == 303

    done = _post(adm, "/ui/admin/users/disable", {"name": "nina"})
    assert done.status_code == 303
    assert "User nina disabled" in adm.get(done.headers["location"]).text
    assert web_client.get("/ui/", follow_redirects=False).status_code == 303  # signed out
    with Store.open(web_url) as store:
        assert not store.users.user("nina").active
    assert ("user.disable", "adm", {"user": "nina"}) in _events(web_url, "user.disable")


def test_bad_input_is_said_plainly_never_a_500(
        signed_in: Callable[[str], TestClient], web_url: str) -> None:
    with Store.open(web_url) as store:
        store.users.external("olga", ["analyst"])  # signs in with the identity provider
    adm = signed_in("adm")
    cases = [
        ({"name": "bob", "roles": "analyst", "password": "short",
          "password_again": "short"}, 400, "at least 12 characters"),
        ({"name": "bob", "roles": "superuser", "password": PASSWORD,
          "password_again": PASSWORD}, 400, "unknown role(s) superuser"),
        ({"name": "bob", "password": PASSWORD, "password_again": PASSWORD}, 400,
         "none given"),
        ({"name": "bob", "roles": "analyst", "password": PASSWORD,
          "password_again": PASSWORD + "x"}, 400, "The two passwords differ"),
        ({"name": "ana", "roles": "analyst", "password": PASSWORD,
          "password_again": PASSWORD}, 400, "already exists"),
        ({"name": "   ", "roles": "analyst", "password": PASSWORD,
          "password_again": PASSWORD}, 400, "1 to 200 characters"),
    ]
    for data, status, words in cases:
        answer = _post(adm, "/ui/admin/users", data)
        assert answer.status_code == status, data
        assert words in answer.text.replace("&#39;", "'"), data
        assert 'id="admin-error"' in answer.text and 'id="add-user-form"' in answer.text
    assert _post(adm, "/ui/admin/users", {"name": "x" * 201, "roles": "analyst"}
                 ).status_code == 422
    for path, data, status, words in (
            ("/ui/admin/users/roles", {"name": "nobody", "roles": "analyst"}, 404,
             "no user"),
            ("/ui/admin/users/roles", {"name": "ana", "roles": "root"}, 400, "unknown role"),
            ("/ui/admin/users/disable", {"name": "nobody"}, 404, "no user"),
            ("/ui/admin/users/password", {"name": "olga", "password": PASSWORD}, 400,
             "identity provider"),
            ("/ui/admin/users/password", {"name": "ana", "password": "tiny"}, 400,
             "at least 12"),
            ("/ui/admin/keys", {"name": "k"}, 400, "none given"),
            ("/ui/admin/keys", {"name": "k", "scopes": "root"}, 400, "unknown scope"),
            ("/ui/admin/keys", {"name": "k", "scopes": "screen", "role": "boss"}, 400,
             "unknown role"),
            ("/ui/admin/keys", {"name": "k", "scopes": "screen", "rate_limit": "fast"}, 400,
             "whole number"),
            ("/ui/admin/keys", {"name": "k", "scopes": "screen", "rate_limit": "0"}, 400,
             "whole number"),
            ("/ui/admin/keys", {"name": " ", "scopes": "screen"}, 400, "Give the key a name"),
            ("/ui/admin/keys/revoke", {"key_id": "deadbeef"}, 404, "no API key")):
        answer = _post(adm, path, data)
        assert answer.status_code == status, (path, data)
        assert words in answer.text, (path, data)
    with Store.open(web_url) as store:
        assert "bob" not in {u.name for u in store.users.users()}
        assert store.users.user("ana").roles == ("analyst",)
        assert store.list_keys(include_revoked=True) == []


def test_the_last_active_admin_cannot_be_locked_out(
        signed_in: Callable[[str], TestClient], web_url: str) -> None:
    adm = signed_in("adm")
    for path, data in (("/ui/admin/users/disable", {"name": "adm"}),
                       ("/ui/admin/users/roles", {"name": "adm", "roles": "auditor"})):
        answer = _post(adm, path, data)
        assert answer.status_code == 409
        assert "adm is the last active admin" in answer.text
    with Store.open(web_url) as store:
        assert store.users.user("adm").active and "admin" in store.users.user("adm").roles
    # with a second admin, the first may step down (and is sent away from the admin page)
    assert _post(adm, "/ui/admin/users/roles", {"name": "rita", "roles": ["reviewer", "admin"]}
                 ).status_code == 303
    down = _post(adm, "/ui/admin/users/roles", {"name": "adm", "roles": "auditor"})
    assert down.status_code == 303 and down.headers["location"] == "/ui/"
    assert adm.get("/ui/admin").status_code == 403
    rita = signed_in("rita")
    refused = _post(rita, "/ui/admin/users/disable", {"name": "rita"})
    assert refused.status_code == 409


def test_an_api_key_is_shown_once_and_revoked(
        signed_in: Callable[[str], TestClient], web_client: TestClient,
        web_url: str) -> None:
    adm = signed_in("adm")
    posted = _post(adm, "/ui/admin/keys", {"name": "crm", "scopes": ["screen"],
                                           "role": "analyst", "rate_limit": "600"})
    assert posted.status_code == 303  # post/redirect/get: the secret is on the next page
    made = adm.get(posted.headers["location"])
    assert made.status_code == 200 and 'id="new-key"' in made.text
    assert made.headers["cache-control"] == "no-store"
    secret = made.text.split('id="new-key-secret"')[1].split('value="')[1].split('"')[0]
    assert secret.startswith("dk_")
    again = adm.get("/ui/admin")
    assert secret not in again.text and "crm" in again.text and "600 requests" in again.text
    with Store.open(web_url) as store:
        key = store.find_key(secret)
        assert key is not None and key.role == "analyst" and key.rate_limit == 600
    created = _events(web_url, "key.create")
    assert created and created[0][1] == "adm" and secret not in str(created)
    # the key works on the API, then is refused once revoked
    api = {"Authorization": f"ApiKey {secret}"}
    assert web_client.get("/versions", headers=api).status_code == 200
    gone = _post(adm, "/ui/admin/keys/revoke", {"key_id": key.id})
    assert gone.status_code == 303
    assert f"Key {key.id} revoked" in adm.get(gone.headers["location"]).text
    with Store.open(web_url) as store:
        assert store.find_key(secret) is None
    assert _events(web_url, "key.revoke")[0][1] == "adm"


def test_hostile_names_are_inert_on_the_admin_page(
        signed_in: Callable[[str], TestClient]) -> None:
    adm = signed_in("adm")
    added = _post(adm, "/ui/admin/users", {"name": HOSTILE, "roles": "analyst",
                                           "password": PASSWORD, "password_again": PASSWORD})
    assert added.status_code == 303
    assert _post(adm, "/ui/admin/keys", {"name": HOSTILE, "scopes": "screen"}
                 ).status_code == 303
    page = adm.get(added.headers["location"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert HOSTILE not in page.text
    # a message code the page does not know shows nothing, and the subject stays text
    odd = adm.get("/ui/admin", params={"done": "<b>x</b>", "subject": HOSTILE})
    assert odd.status_code == 200 and HOSTILE not in odd.text
