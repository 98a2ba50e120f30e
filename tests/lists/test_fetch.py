"""Downloads against a real local HTTP server: retries, timeouts, 4xx, size cap, no half files."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from discreet.errors import FetchError
from discreet.lists.fetch import download
from tests import http_server
from tests.http_server import ListServer

Start = Callable[[Path], ListServer]
list_server = http_server.list_server  # the fixture, shared with other test modules
EMPTY_SHA = hashlib.sha256(b"").hexdigest()


@pytest.fixture
def served(tmp_path_factory: pytest.TempPathFactory, own_fixtures: Path) -> Path:
    """A folder to serve: our own FtM fixture plus a larger file for the size cap."""
    root = tmp_path_factory.mktemp("www")
    shutil.copy(own_fixtures / "ftm" / "entities.ftm.json", root)
    (root / "big.xml").write_bytes(b"<list>" + b"x" * 200_000 + b"</list>")
    return root


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as http:
        yield http


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_ok(list_server: Start, served: Path, tmp_path: Path,
                     client: httpx.Client) -> None:
    server = list_server(served)
    dest = tmp_path / "dl"
    got = download(server.url("entities.ftm.json"), dest, client=client)
    original = (served / "entities.ftm.json").read_bytes()
    assert got.path == dest / "entities.ftm.json" and got.path.read_bytes() == original
    assert (got.status, got.bytes) == (200, len(original))
    assert got.sha256 == hashlib.sha256(original).hexdigest()
    assert got.content_type == "application/json" and got.last_modified
    assert got.url == server.url("entities.ftm.json")
    assert _leftovers(dest) == ["entities.ftm.json"]


def test_zero_byte_body_reported_faithfully(list_server: Start, shared_lists: Path,
                                            tmp_path: Path) -> None:
    server = list_server(shared_lists / "ofac_sdn_csv" / "history_jackdwyer")
    got = download(server.url("sdn_2024-05-04_EMPTY.csv"), tmp_path, file_name="sdn.csv")
    assert (got.status, got.bytes, got.sha256) == (200, 0, EMPTY_SHA)
    assert got.path == tmp_path / "sdn.csv" and got.path.stat().st_size == 0


def test_error_xml_body_with_200_is_not_judged_here(list_server: Start,
                                                    shared_lists: Path, tmp_path: Path) -> None:
    """Content checks are the loader's: a 200 is saved even when the body is an S3 error."""
    server = list_server(shared_lists / "ofac_sdn_xml")
    got = download(server.url("bad_download_s3_NoSuchKey_error.xml"), tmp_path)
    assert got.bytes == 283 and b"NoSuchKey" in got.path.read_bytes()


def test_retries_500_then_succeeds(list_server: Start, served: Path, tmp_path: Path,
                                   client: httpx.Client) -> None:
    server = list_server(served)
    server.fail(2)
    got = download(server.url("entities.ftm.json"), tmp_path, client=client, retries=3,
                   backoff=0.01)
    assert got.status == 200 and got.bytes > 0
    assert server.requests == ["/entities.ftm.json"] * 3
    assert _leftovers(tmp_path) == ["entities.ftm.json"]


def test_gives_up_after_retries(list_server: Start, served: Path, tmp_path: Path,
                                client: httpx.Client) -> None:
    server = list_server(served)
    server.fail(10, status=503)
    with pytest.raises(FetchError, match=r"HTTP 503 Service Unavailable.*after 3 attempts") as e:
        download(server.url("entities.ftm.json"), tmp_path, client=client, retries=2,
                 backoff=0.01)
    assert server.url("entities.ftm.json") in str(e.value)
    assert len(server.requests) == 3 and _leftovers(tmp_path) == []


def test_404_with_s3_xml_body_fails_without_retry(list_server: Start, served: Path,
                                                  tmp_path: Path, client: httpx.Client) -> None:
    server = list_server(served)
    server.not_found_s3()
    with pytest.raises(FetchError, match=r"HTTP 404 Not Found \(NoSuchKey"):
        download(server.url("sdn.xml"), tmp_path, client=client, retries=3, backoff=0.01)
    assert len(server.requests) == 1 and _leftovers(tmp_path) == []


def test_plain_404_from_the_folder(list_server: Start, served: Path,
                                   tmp_path: Path) -> None:
    server = list_server(served)
    with pytest.raises(FetchError, match="HTTP 404"):
        download(server.url("missing.xml"), tmp_path, backoff=0.01)
    assert len(server.requests) == 1


def test_timeout_is_retried_then_fails(list_server: Start, served: Path,
                                       tmp_path: Path, client: httpx.Client) -> None:
    server = list_server(served)
    server.hang(5)
    began = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.2 s"):
        download(server.url("entities.ftm.json"), tmp_path, client=client, timeout=0.2,
                 retries=1, backoff=0.01)
    assert time.monotonic() - began < 3
    assert len(server.requests) == 2 and _leftovers(tmp_path) == []


def test_connection_refused_is_a_fetch_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="connection failed"):
        download("http://127.0.0.1:9/list.xml", tmp_path, retries=1, backoff=0.01)


@pytest.mark.parametrize("unsized", [False, True])
def test_size_limit(list_server: Start, served: Path, tmp_path: Path,
                    client: httpx.Client, unsized: bool) -> None:
    """Refused by Content-Length when given, else while streaming; no file left either way."""
    server = list_server(served)
    if unsized:
        server.omit_length()
    with pytest.raises(FetchError, match="limit of 1000 bytes"):
        download(server.url("big.xml"), tmp_path, client=client, max_bytes=1000, backoff=0.01)
    assert len(server.requests) == 1 and _leftovers(tmp_path) == []
    got = download(server.url("big.xml"), tmp_path, client=client, max_bytes=300_000)
    assert got.bytes == (served / "big.xml").stat().st_size


def test_failed_download_keeps_the_previous_file(list_server: Start, served: Path,
                                                 tmp_path: Path, client: httpx.Client) -> None:
    """The final name only ever holds a complete file: a failure leaves the old one intact."""
    (tmp_path / "big.xml").write_bytes(b"previous version")
    server = list_server(served)
    with pytest.raises(FetchError):
        download(server.url("big.xml"), tmp_path, client=client, max_bytes=1000)
    assert (tmp_path / "big.xml").read_bytes() == b"previous version"
    assert _leftovers(tmp_path) == ["big.xml"]


def test_truncated_body_is_retried_and_never_lands(list_server: Start, served: Path,
                                                   tmp_path: Path, client: httpx.Client) -> None:
    """A connection cut mid-body (Content-Length not reached) is retried, then refused."""
    server = list_server(served)
    server.truncate()
    with pytest.raises(FetchError, match=r"connection failed.*after 2 attempts"):
        download(server.url("big.xml"), tmp_path, client=client, retries=1, backoff=0.01)
    assert len(server.requests) == 2 and _leftovers(tmp_path) == []
