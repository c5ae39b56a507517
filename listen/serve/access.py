"""Who may use the server: the team passphrase, browser sessions, CSRF tokens, the wrong-passphrase
rate limit. Nothing here imports aiohttp.

The passphrase is kept as a salted scrypt hash (hashlib) in ``<workspace>/serve-passphrase``, an
owner-only file beside listen.toml (listen.toml is the team's readable settings; a hash, even
salted, does not belong where anyone may read it). It is never stored or logged in plain text.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from listen.errors import ListenError, UsageError
from listen.store.atomic import atomic_write_text
from listen.store.database import Signature, file_signature
from listen.workspace import Workspace

PASSPHRASE_FILE = "serve-passphrase"
MIN_PASSPHRASE_CHARS = 8
MAX_PASSPHRASE_CHARS = 1024
# scrypt cost: n=2**14, r=8, p=1 (16 MB, ~50 ms): the parameters are stored with each hash
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 14, 8, 1
SESSION_SECONDS = 12 * 3600
MAX_SESSIONS = 10_000
# wrong passphrases: at most this many per client address in the window, then refused until it passes
FAILURES_ALLOWED = 5
FAILURE_WINDOW_SECONDS = 60.0


def passphrase_path(workspace: Workspace) -> Path:
    return workspace.root / PASSPHRASE_FILE


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, "localhost")."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def hash_passphrase(passphrase: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_passphrase(passphrase: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.strip().split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            passphrase.encode("utf-8", "surrogateescape")[:4 * MAX_PASSPHRASE_CHARS],
            salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(bytes.fromhex(digest)),
        )  # fmt: skip
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got, bytes.fromhex(digest))


def check_new_passphrase(passphrase: str) -> str:
    passphrase = passphrase.strip("\r\n")
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise UsageError(f"the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters")
    if len(passphrase) > MAX_PASSPHRASE_CHARS:
        raise UsageError(f"the passphrase may have at most {MAX_PASSPHRASE_CHARS} characters")
    return passphrase


def save_passphrase(workspace: Workspace, passphrase: str) -> Path:
    """Store the hash of a new passphrase (owner-only, atomic); returns the file."""
    stored = hash_passphrase(check_new_passphrase(passphrase))  # a bad one changes nothing
    workspace.ensure()
    path = passphrase_path(workspace)
    atomic_write_text(path, stored + "\n")
    return path


def load_passphrase_hash(workspace: Workspace) -> str | None:
    path = passphrase_path(workspace)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ListenError(f"{path}: cannot be read ({error})") from None
    if not text.startswith("scrypt$"):
        raise ListenError(f"{path}: not a passphrase hash; set it again with `listen serve --set-passphrase`")
    return text.strip()


class PassphraseFile:
    """The team passphrase's hash as it is now, read again when its file changed (one ``stat`` a
    request): `listen serve --set-passphrase` on a running server applies at once, and every
    browser signed in under the old passphrase (or before there was one) must sign in again.
    A file that goes missing or cannot be read keeps the last hash: the server never opens up
    because a file vanished."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lock = threading.Lock()
        self._seen: Signature | None = file_signature(passphrase_path(workspace))
        self._hash = load_passphrase_hash(workspace)  # at start, a bad file stops the server

    def current(self) -> str | None:
        signature = file_signature(passphrase_path(self.workspace))
        with self._lock:
            if signature != self._seen:
                self._seen = signature
                try:
                    stored = load_passphrase_hash(self.workspace)
                except ListenError:
                    stored = None
                if stored is not None:
                    self._hash = stored
            return self._hash


@dataclass
class Session:
    id: str
    csrf: str
    signed_in: bool
    created: float
    under: str | None = None  # the passphrase hash in force when it was made (a new one ends it)
    rep: str = ""  # the name the rep last submitted under (their list of recent clips)


@dataclass
class Sessions:
    """The server's browser sessions, in memory (a restart signs everyone out)."""

    lifetime: float = SESSION_SECONDS
    limit: int = MAX_SESSIONS
    _by_id: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._by_id.get(session_id)
            if session is not None and time.monotonic() - session.created > self.lifetime:
                del self._by_id[session_id]
                return None
            return session

    def new(self, *, signed_in: bool, under: str | None) -> Session:
        session = Session(
            secrets.token_urlsafe(32), secrets.token_urlsafe(32), signed_in, time.monotonic(), under
        )
        with self._lock:
            if len(self._by_id) >= self.limit:
                # full (a flood of requests without a cookie makes a session each): the oldest
                # not signed in goes first, so nobody signed in is pushed out; the dict keeps
                # the order they were made in
                sessions = self._by_id.values()
                victim = next((s for s in sessions if not s.signed_in), None) or next(iter(sessions))
                del self._by_id[victim.id]
            self._by_id[session.id] = session
        return session

    def end(self, session_id: str) -> None:
        with self._lock:
            self._by_id.pop(session_id, None)


def csrf_ok(session: Session | None, token: str | None) -> bool:
    return session is not None and bool(token) and hmac.compare_digest(session.csrf, token or "")


@dataclass
class FailureLimit:
    """Wrong passphrases per client address: FAILURES_ALLOWED in FAILURE_WINDOW_SECONDS."""

    allowed: int = FAILURES_ALLOWED
    window: float = FAILURE_WINDOW_SECONDS
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def wait_seconds(self, client: str) -> float:
        """0 when the client may try; else how long until it may."""
        now = time.monotonic()
        times = self._failures.get(client)
        if not times:
            return 0.0
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < self.allowed:
            return 0.0
        return max(0.0, self.window - (now - times[0]))

    def failed(self, client: str) -> None:
        if len(self._failures) > MAX_SESSIONS:
            self._failures.clear()
        self._failures.setdefault(client, deque()).append(time.monotonic())

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)
