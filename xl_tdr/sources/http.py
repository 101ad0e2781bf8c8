"""One HTTP session for the Census sources: timeouts, bounded retries, and no leaked keys.

Retries connection failures, timeouts, 5xx and 429 with exponential backoff (honouring
``Retry-After``, bounded). A transfer is cut when it stays slower than a minimum rate for a
read timeout (like curl's ``--speed-limit``/``--speed-time``) or runs past its deadline — the
body is read with short reads, so no thread watches it (there are none in Pyodide). The API key
travels only in query parameters; every URL and message that leaves this module has it replaced
by ``***``, in every form an answer may echo it (as typed, URL-encoded, in any letter case, in
groups with separators, in base64).
"""

from __future__ import annotations

import base64
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

import requests

from .. import config
from ..errors import SourceError

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
    deadline: float = 600.0  # one request, whole answer included, however slowly it trickles
    min_rate: float = 1024.0  # bytes per second, measured over a read timeout
    ends: float = float("inf")  # time.monotonic() by which every request must have ended (the refresh's)
    ends_message: str = ""  # what to say when a request runs into ``ends``
    secrets: list[str] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    sleep: object = time.sleep
    requests_sent: int = 0

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = user_agent()

    @classmethod
    def from_config(cls) -> "Http":
        """An Http with the timeout, retries and backoff from the environment."""
        return cls(**config.http_settings())

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced by ``***``, in every form an answer may echo it."""
        for secret in self.secrets:
            text = _secret_pattern(secret).sub("***", text)
        return text

    def redacted(self, error: SourceError) -> SourceError:
        """The same error with the secrets out of its message and URL."""
        kind = type(error)
        return kind(self.redact(str(error)), self.redact(error.url) if error.url else None, error.status)

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
        ends = min(time.monotonic() + self.deadline, self.ends)
        with self.session.get(url, params=params, headers=headers, timeout=self.timeout,
                              allow_redirects=False, stream=True) as raw:
            body = self._read(raw, max_bytes, ends)
            declared = raw.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) != len(body) and "Content-Encoding" not in raw.headers:
                raise requests.exceptions.ChunkedEncodingError("the connection closed before the whole answer arrived")
            return Response(raw.status_code, dict(raw.headers), bytes(body), self.redact(raw.url))

    def _read(self, raw: requests.Response, max_bytes: int, ends: float) -> bytearray:
        """The body, read a little at a time: cut off past ``ends`` or when slower than
        ``min_rate`` bytes/s over a whole read timeout."""
        body, window, window_bytes = bytearray(), time.monotonic(), 0
        while True:
            chunk = _read1(raw)
            if not chunk:
                return body
            body += chunk
            window_bytes += len(chunk)
            now = time.monotonic()
            if len(body) > max_bytes:
                raise SourceError(f"the answer from {self.redact(raw.url)} is larger than "
                                  f"{max_bytes // 2**20} MB; refusing it", self.redact(raw.url), raw.status_code)
            if now > ends:
                if now > self.ends and self.ends_message:
                    raise SourceError(self.ends_message)
                raise SourceError(f"the Census server had not sent its whole answer after {self.deadline:g} s; "
                                  f"giving up: {self.redact(raw.url)}", self.redact(raw.url))
            if now - window >= self.timeout:
                if window_bytes < self.min_rate * (now - window):
                    raise SourceError(f"the Census server sent its answer too slowly (under {self.min_rate:g} "
                                      f"bytes a second for {self.timeout:g} s); giving up: {self.redact(raw.url)}",
                                      self.redact(raw.url))
                window, window_bytes = now, 0

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


def user_agent() -> str:
    """Our User-Agent: the package and its version."""
    return f"xl_tdr/{config.version()} (+https://pypi.org/project/xl-tdr/)"


def _secret_pattern(secret: str) -> re.Pattern:
    """A pattern for a secret in every form: as typed or URL-encoded (any letter case, with a
    separator anywhere between its characters, as when it is printed in groups of four), and
    base64 of it in upper, lower and its own case (standard or URL-safe alphabet)."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}
    spread = [r"[\s\-_.:,/|]?".join(re.escape(c) for c in form) for form in forms]
    encoded = set()
    for variant in {secret, secret.lower(), secret.upper()}:
        for coded in (base64.b64encode(variant.encode()), base64.urlsafe_b64encode(variant.encode())):
            encoded.add(re.escape(coded.decode().rstrip("=")) + "=*")
    return re.compile("(?i:" + "|".join(sorted(spread, key=len, reverse=True)) + ")|" + "|".join(encoded))


def _read1(raw: requests.Response) -> bytes:
    """What has arrived of the body (up to 64 KB, at most one read), with urllib3's errors as
    requests words them (as ``iter_content`` would)."""
    from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

    try:
        return raw.raw.read1(65536, decode_content=True)
    except ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from None
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from None
    except ReadTimeoutError as exc:
        raise requests.exceptions.ReadTimeout(exc) from None
