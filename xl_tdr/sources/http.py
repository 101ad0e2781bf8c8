"""One HTTP session for the Census sources: timeouts, bounded retries, and no leaked keys.

Retries connection failures, timeouts, 5xx and 429 with exponential backoff (honouring
``Retry-After``, bounded). The API key travels only in query parameters; every URL and message
that leaves this module has it replaced by ``***``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests

from .. import config
from ..errors import SourceError

USER_AGENT = f"xl_tdr/{config.VERSION} (+https://pypi.org/project/xl-tdr/)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


@dataclass
class Response:
    """What the sources need of a response, read in full."""

    status: int
    headers: dict
    body: bytes
    url: str


@dataclass
class Http:
    """A requests Session with the project's policy; counts the requests it sends."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    secrets: list[str] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    sleep: object = time.sleep
    requests_sent: int = 0

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT

    @classmethod
    def from_config(cls) -> "Http":
        """An Http with the timeout, retries and backoff from the environment."""
        return cls(**config.http_settings())

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced by ``***``."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def get(self, url: str, params: dict | None = None, headers: dict | None = None,
            max_bytes: int = 200 * 2**20) -> Response:
        """GET with retries; raises :class:`SourceError` (key redacted) when it gives up."""
        shown = self.redact(requests.Request("GET", url, params=params).prepare().url or url)
        for attempt in range(self.retries + 1):
            try:
                response = self._once(url, params, headers, max_bytes)
            except requests.Timeout:
                problem, wait = f"no answer within {self.timeout:g} s", self._backoff(attempt)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                problem, wait = self._connection_problem(exc), self._backoff(attempt)
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                problem = f"HTTP {response.status}"
                wait = self._retry_after(response) if response.status == 429 else self._backoff(attempt)
                if attempt == self.retries:
                    raise SourceError(self._gave_up(shown, problem, response.status), shown, response.status)
            if attempt == self.retries:
                raise SourceError(self._gave_up(shown, problem), shown)
            self.sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, url: str, params: dict | None, headers: dict | None, max_bytes: int) -> Response:
        self.requests_sent += 1
        with self.session.get(url, params=params, headers=headers, timeout=self.timeout,
                              allow_redirects=False, stream=True) as raw:
            body = bytearray()
            for chunk in raw.iter_content(65536):
                body += chunk
                if len(body) > max_bytes:
                    raise SourceError(f"the answer from {self.redact(raw.url)} is larger than "
                                      f"{max_bytes // 2**20} MB; refusing it", self.redact(raw.url), raw.status_code)
            declared = raw.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) != len(body) and "Content-Encoding" not in raw.headers:
                raise requests.exceptions.ChunkedEncodingError("the connection closed before the whole answer arrived")
            return Response(raw.status_code, dict(raw.headers), bytes(body), self.redact(raw.url))

    def _backoff(self, attempt: int) -> float:
        return self.backoff * 2 ** attempt

    def _retry_after(self, response: Response) -> float:
        value = response.headers.get("Retry-After", "")
        seconds = float(value) if value.replace(".", "", 1).isdigit() else self._backoff(0)
        return min(seconds, MAX_RETRY_AFTER)

    def _connection_problem(self, exc: Exception) -> str:
        text = str(exc).lower()
        if "reset" in text or "closed" in text or "incomplete" in text or "broken" in text:
            return "the connection was cut off in the middle of the answer"
        return "could not connect"

    def _gave_up(self, shown: str, problem: str, status: int | None = None) -> str:
        if status == 429:
            return f"the Census server kept refusing requests as too frequent (HTTP 429) after {self.retries + 1} tries: {shown}"
        return f"the Census server did not answer properly ({problem}) after {self.retries + 1} tries: {shown}"
