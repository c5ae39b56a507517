"""A real `listen serve` in a subprocess on 127.0.0.1 with an ephemeral port, and a small browser
stand-in over urllib (cookies kept, redirects optional, multipart forms encoded by hand)."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from helpers import REPO

URL_LINE = re.compile(r"listen serve: (http://127\.0\.0\.1:\d+)/")


class Server:
    def __init__(self, workspace: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "listen", "serve", "--workspace", str(workspace), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = URL_LINE.search(line)
        if match is None:
            self.stop()
            raise AssertionError(f"no URL from listen serve: {line!r} {self.process.stderr.read()!r}")  # type: ignore[union-attr]
        self.url = match.group(1)
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str | None:
        """The page's one-line outcome (the element with id="message"), unescaped."""
        import html

        match = re.search(r'id="message">(.*?)</p>', self.body, re.S)
        return html.unescape(match.group(1)) if match else None

    def csrf(self) -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.body)
        assert match, self.body[:500]
        return match.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Browser:
    """Keeps cookies like a browser; ``follow=False`` shows redirects as they are."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None,
                *, follow: bool = True) -> Reply:  # fmt: skip
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with (self.follow if follow else self.stay).open(request, timeout=120) as response:
                return Reply(response.status, response.read().decode("utf-8"), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode("utf-8", "replace"), dict(error.headers))

    def get(self, path: str, *, follow: bool = True) -> Reply:
        return self.request(path, follow=follow)

    def post_form(self, path: str, fields: dict[str, str], *, follow: bool = True,
                  headers: dict[str, str] | None = None) -> Reply:  # fmt: skip
        data = urllib.parse.urlencode(fields).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(path, data, {**form, **(headers or {})},
                            follow=follow)  # fmt: skip

    def upload(self, fields: dict[str, str], file_name: str, content: bytes,
               headers: dict[str, str] | None = None) -> Reply:  # fmt: skip
        body, content_type = multipart(fields, file_name, content)
        return self.request("/upload", body, {"Content-Type": content_type, **(headers or {})})

    def login(self, passphrase: str) -> Reply:
        page = self.get("/login")
        return self.post_form("/login", {"csrf": page.csrf(), "passphrase": passphrase})


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it: the fields in order, then the file."""
    boundary = "----listen" + secrets.token_hex(8)
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode("utf-8") + b"\r\n"
    out += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()  # fmt: skip
    out += content + f"\r\n--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def chunked_upload(port: int, cookie: str, fields: dict[str, str], file_name: str, total: int) -> int | str:
    """Send an upload without Content-Length (chunked), ``total`` file bytes; the status the server
    answered with, or "cut" when it closed the connection before the body was sent."""
    body, content_type = multipart(fields, file_name, b"")
    head, tail = body.split(b"\r\n\r\n\r\n--")[0] + b"\r\n\r\n", b"\r\n--" + body.split(b"\r\n\r\n\r\n--")[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest("POST", "/upload")
        connection.putheader("Content-Type", content_type)
        connection.putheader("Cookie", cookie)
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()

        def chunk(data: bytes) -> None:
            connection.send(f"{len(data):x}\r\n".encode() + data + b"\r\n")

        chunk(head)
        block = b"\0" * 65536
        for _ in range(total // len(block)):
            chunk(block)
        chunk(tail)
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        return connection.getresponse().status
    except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError):
        return "cut"
    finally:
        connection.close()


def wait_for(predicate, timeout: float, step: float = 0.5):  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it returns a true value (returned) or ``timeout`` passes (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None
