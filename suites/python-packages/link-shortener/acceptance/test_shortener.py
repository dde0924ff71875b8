"""Acceptance tests of the shortener package; imports happen inside each test."""

from unittest import mock

import pytest


def _service():
    from shortener.db import connect
    from shortener.repository import LinkRepository
    from shortener.service import ShortenerService

    return ShortenerService(LinkRepository(connect()))


def test_encode_table():
    from shortener.codes import encode

    table = {0: "0", 9: "9", 10: "a", 35: "z", 36: "A", 61: "Z", 62: "10"}
    for number, code in table.items():
        assert encode(number) == code
    assert encode(62 * 62) == "100"
    with pytest.raises(ValueError):
        encode(-1)


def test_decode_inverts_encode():
    from shortener.codes import decode, encode

    for number in (0, 1, 61, 62, 1000, 1001, 987654321):
        assert decode(encode(number)) == number
    for bad in ("", "ab-c", "é"):
        with pytest.raises(ValueError):
            decode(bad)


def test_repository_stores_links():
    from shortener.db import connect
    from shortener.repository import LinkRepository

    repo = LinkRepository(connect())
    link_id = repo.add("https://example.org")
    assert repo.by_url("https://example.org") == {
        "id": link_id,
        "url": "https://example.org",
        "code": None,
        "hits": 0,
    }
    repo.set_code(link_id, "abc")
    repo.hit("abc")
    repo.hit("abc")
    assert repo.by_code("abc")["hits"] == 2
    assert repo.by_code("zzz") is None


def test_shorten_uses_the_id_plus_1000():
    from shortener.codes import encode

    service = _service()
    first = service.shorten("https://a.example")
    second = service.shorten("http://b.example")
    assert first == encode(1001)
    assert second == encode(1002)
    assert service.shorten("https://a.example") == first


def test_shorten_refuses_other_schemes():
    service = _service()
    for url in ("ftp://x", "example.org", ""):
        with pytest.raises(ValueError):
            service.shorten(url)


def test_resolve_counts_hits():
    service = _service()
    code = service.shorten("https://c.example")
    assert service.stats(code) == 0
    assert service.resolve(code) == "https://c.example"
    assert service.resolve(code) == "https://c.example"
    assert service.stats(code) == 2
    with pytest.raises(KeyError):
        service.resolve("nope")
    with pytest.raises(KeyError):
        service.stats("nope")


def test_service_on_a_mocked_repository():
    from shortener.service import ShortenerService

    repo = mock.Mock()
    repo.by_url.return_value = None
    repo.add.return_value = 5
    assert ShortenerService(repo).shorten("https://d.example") == "gd"
    repo.add.assert_called_once_with("https://d.example")
    repo.set_code.assert_called_once_with(5, "gd")


def test_cli_shorten_open_stats(tmp_path, capsys):
    from shortener.cli import main

    db = str(tmp_path / "links.db")
    assert main(["--db", db, "shorten", "https://e.example"]) == 0
    code = capsys.readouterr().out.strip()
    assert main(["--db", db, "open", code]) == 0
    assert capsys.readouterr().out.strip() == "https://e.example"
    assert main(["--db", db, "stats", code]) == 0
    assert capsys.readouterr().out.strip() == "1"


def test_cli_errors(tmp_path, capsys):
    from shortener.cli import main

    db = str(tmp_path / "links.db")
    assert main(["--db", db, "shorten", "mailto:x"]) == 2
    assert capsys.readouterr().err.strip()
    assert main(["--db", db, "open", "q1"]) == 1
    assert "unknown code q1" in capsys.readouterr().err
    assert main(["--db", db, "stats", "q1"]) == 1
