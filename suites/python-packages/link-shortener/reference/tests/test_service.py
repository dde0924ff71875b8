from unittest import mock

from shortener.service import ShortenerService


def test_known_url_keeps_its_code():
    repo = mock.Mock()
    repo.by_url.return_value = {"id": 1, "url": "http://a", "code": "g9", "hits": 0}
    assert ShortenerService(repo).shorten("http://a") == "g9"
    repo.add.assert_not_called()
