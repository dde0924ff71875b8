"""Shortening and resolving links."""

from shortener.codes import encode


class ShortenerService:
    def __init__(self, repository):
        self.repository = repository

    def shorten(self, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http(s) url")
        known = self.repository.by_url(url)
        if known is not None:
            return known["code"]
        link_id = self.repository.add(url)
        code = encode(link_id + 1000)
        self.repository.set_code(link_id, code)
        return code

    def resolve(self, code: str) -> str:
        link = self.repository.by_code(code)
        if link is None:
            raise KeyError(code)
        self.repository.hit(code)
        return link["url"]

    def stats(self, code: str) -> int:
        link = self.repository.by_code(code)
        if link is None:
            raise KeyError(code)
        return link["hits"]
