"""One HTTP session for the Census sources: timeouts, bounded retries, and no leaked keys.

Retries connection failures, timeouts, 5xx and 429 with exponential backoff (honouring
``Retry-After``, bounded). The API key travels only in query parameters; every URL and message
that leaves this module has it replaced by ``***``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

import requests

from .. import config
from ..errors import SourceError

USER_AGENT = f"xl_tdr/{config.VERSION} (+https://pypi.org/project/xl-tdr/)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


def _cut(raw: requests.Response) -> None:
    """Wake a read blocked on a slow server: shut its socket down (closing alone does not)."""
    try:
        twin = socket.fromfd(raw.raw.fileno(), socket.AF_INET, socket.SOCK_STREAM)  # the same connection
        try:
            twin.shutdown(socket.SHUT_RDWR)
        finally:
            twin.close()
    except (OSError, ValueError, AttributeError):
        pass  # already closed, or no socket to reach: closing below is all there is
    raw.close()


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
    deadline: float = 600.0  # one request, whole answer included, however slowly it trickles
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
        """``text`` with every secret replaced by ``***`` — as typed, URL-encoded (``%2B``,
        ``+`` for a space…), in any letter case."""
        for secret in self.secrets:
            for form in {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}:
                text = re.sub(re.escape(form), "***", text, flags=re.IGNORECASE)
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
            except requests.exceptions.ContentDecodingError:
                problem, wait = "the answer could not be decoded (damaged compression)", self._backoff(attempt)
            except requests.RequestException as exc:  # a bad address, too many redirects…
                raise SourceError(f"the request to the Census failed ({type(exc).__name__}): {shown}", shown) from None
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
            expired = threading.Event()
            watchdog = threading.Timer(self.deadline, lambda: (expired.set(), _cut(raw)))
            watchdog.daemon = True
            watchdog.start()  # a server trickling a byte every few seconds is cut off at the deadline
            try:
                body = self._read(raw, max_bytes)
            except Exception:
                if expired.is_set():
                    shown = self.redact(raw.url)
                    raise SourceError(f"the Census server had not sent its whole answer after {self.deadline:g} s; "
                                      f"giving up: {shown}", shown) from None
                raise
            finally:
                watchdog.cancel()
            declared = raw.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) != len(body) and "Content-Encoding" not in raw.headers:
                raise requests.exceptions.ChunkedEncodingError("the connection closed before the whole answer arrived")
            return Response(raw.status_code, dict(raw.headers), bytes(body), self.redact(raw.url))

    def _read(self, raw, max_bytes: int) -> bytearray:
        body = bytearray()
        for chunk in raw.iter_content(65536):
            body += chunk
            if len(body) > max_bytes:
                raise SourceError(f"the answer from {self.redact(raw.url)} is larger than "
                                  f"{max_bytes // 2**20} MB; refusing it", self.redact(raw.url), raw.status_code)
        return body

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
