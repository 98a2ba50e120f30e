"""Browsers that signed in before: their wrong passwords are counted apart.

Wrong passwords are slowed per (account, client address) (:mod:`discreet.api.auth`). Where
many people share one address (an office behind NAT, or a reverse proxy not named with
``--trusted-proxy``), someone guessing at a colleague's name would hold that colleague up
too. So a browser that signed in to an account gets a *device cookie* for it: an id and a
keyed hash of (id, account) under a server secret. A sign-in that presents a valid one is
counted under that device instead of the address, so nobody else's wrong passwords hold
it up (the OWASP "device cookie" defence). Guessers have no valid cookie, and one cannot
be made up without the secret; a stolen one only has its own budget of tries.

The secret is a file beside the store (like the file jobs): every worker of the server
reads the same one; it is made once, atomically, readable by the server's user only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path

from fastapi import Request
from starlette.responses import Response

__all__ = ["DEVICE_COOKIE", "DEVICE_SECONDS", "device_of", "give_device", "secret_path"]

DEVICE_COOKIE = "discreet_device"
DEVICE_SECONDS = 180 * 24 * 3600
_SECRETS: dict[str, bytes] = {}


def secret_path(db: str) -> Path:
    """Where the server secret of the store ``db`` lives (beside a SQLite file, else in
    the working directory, named after the URL)."""
    if db.startswith(("postgresql://", "postgres://")):
        digest = hashlib.sha256(db.encode()).hexdigest()[:12]
        return Path.cwd() / f".discreet-web-secret-{digest}"
    path = Path(db)
    return path.with_name(f".{path.name}.web-secret")


def _secret(db: str) -> bytes:
    found = _SECRETS.get(db)
    if found is not None:
        return found
    path = secret_path(db)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:  # the first worker makes it; written whole before anyone can read a short one
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    for _ in range(50):
        text = path.read_text().strip()
        if len(text) == 64:
            break
        time.sleep(0.01)  # another worker is writing it this instant
    else:
        raise OSError(f"the server secret {path} is damaged: delete it and restart")
    _SECRETS[db] = bytes.fromhex(text)
    return _SECRETS[db]


def _mac(db: str, device: str, account: str) -> str:
    message = f"{device}\0{account.casefold()}".encode("utf-8", "surrogatepass")
    return hmac.new(_secret(db), message, hashlib.sha256).hexdigest()[:32]


def device_of(request: Request, db: str, account: str) -> str | None:
    """The id of this browser's device cookie, when it was given for ``account``."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    device, _, mac = value.partition(".")
    if len(device) != 32 or len(mac) != 32:
        return None
    try:
        expected = _mac(db, device, account)
    except OSError:
        return None
    return device if hmac.compare_digest(expected, mac) else None


def give_device(response: Response, db: str, account: str) -> None:
    """After a successful sign-in: this browser's device cookie for ``account``."""
    try:
        device = secrets.token_hex(16)
        value = f"{device}.{_mac(db, device, account)}"
    except OSError:
        return  # no secret, no cookie: sign-ins are counted by address, as before
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_SECONDS, path="/ui/login",
                        httponly=True, secure=True, samesite="strict")
