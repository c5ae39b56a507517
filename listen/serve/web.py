"""The aiohttp application of `listen serve`: sign-in, the upload page, the app under /app/.

Access rules (middleware, for every route and the /app/ websocket alike):
- a team passphrase set: every route but /login and /style.css needs a signed-in session;
- no passphrase (only allowed on a loopback address): everyone on this machine is let in;
- a session is an HTTP-only, SameSite=Strict cookie (Secure under TLS); every form carries the
  session's CSRF token, and a POST or websocket whose Origin names another host is refused.
"""

from __future__ import annotations

import asyncio
import signal
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from listen.display import one_line
from listen.errors import InputError, ListenError
from listen.ingest.submit import outcome_line, submit_file
from listen.serve import pages
from listen.serve.access import (
    FailureLimit,
    PassphraseFile,
    Session,
    Sessions,
    csrf_ok,
    verify_passphrase,
)
from listen.serve.upload import (
    Refused,
    channel_of,
    discard,
    read_upload,
    remove_stale_uploads,
    rep_of,
    rep_view_of,
    uploads_dir,
)
from listen.serve.worker import SettingsFile, TranscriptionWorker
from listen.store import Store
from listen.workspace import Workspace, make_private_dir

COOKIE = "listen_session"
DEFAULT_MAX_UPLOAD_MB = 500
RECENT = 15
OPEN_PATHS = frozenset({"/login", "/style.css"})


@dataclass
class ServeOptions:
    workspace: Workspace
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1_000_000
    transcribe: bool = True
    app: bool = True
    tls_cert: Path | None = None
    tls_key: Path | None = None
    watch: Path | None = None  # the drop folder
    watch_by: str = ""


class State:
    """What the handlers share: the store, the sessions, the passphrase hash, the worker."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.workspace = options.workspace
        self.store = Store(options.workspace)
        self.sessions = Sessions()
        self.failures = FailureLimit()
        self.passphrase = PassphraseFile(options.workspace)  # re-read when it changes
        self.settings = SettingsFile(options.workspace.settings_path)  # re-read when it changes
        self.settings()  # a broken listen.toml stops the start with its reason
        self.worker = TranscriptionWorker(self.store, self.settings) if options.transcribe else None
        self.secure = options.tls_cert is not None

    @property
    def passphrase_hash(self) -> str | None:
        return self.passphrase.current()

    @property
    def locked(self) -> bool:
        return self.passphrase_hash is not None


STATE = web.AppKey("state", State)


def _state(request: web.Request) -> State:
    return request.config_dict[STATE]


def _html(text: str, status: int = 200) -> web.Response:
    response = web.Response(text=text, status=status, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_cookie(response: web.StreamResponse, state: State, session: Session) -> None:
    response.set_cookie(
        COOKIE, session.id, httponly=True, samesite="Strict", secure=state.secure, path="/",
        max_age=int(state.sessions.lifetime),
    )  # fmt: skip


def _client(request: web.Request) -> str:
    return request.remote or "unknown"


def _same_origin(request: web.Request) -> bool:
    """A browser names where a request came from (Sec-Fetch-Site, Origin): it must be this server.
    Neither header (not a browser): the CSRF token decides."""
    from urllib.parse import urlsplit

    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None or (origin == "null" and site == "same-origin"):
        return True
    return urlsplit(origin).netloc.lower() == request.host.lower()


@web.middleware
async def access(request: web.Request, handler: Any) -> web.StreamResponse:
    state = _state(request)
    passphrase = state.passphrase_hash
    session = state.sessions.get(request.cookies.get(COOKIE))
    if session is not None and session.under != passphrase:  # a new passphrase: sign in again
        state.sessions.end(session.id)
        session = None
    fresh = None
    if session is None:
        fresh = session = state.sessions.new(signed_in=passphrase is None, under=passphrase)
    request["session"] = session
    unsafe = (
        request.method not in ("GET", "HEAD") or request.headers.get("Upgrade", "").lower() == "websocket"
    )
    if unsafe and not _same_origin(request):
        response: web.StreamResponse = _html(
            pages.message_page("Refused", "a request from another site"), 403
        )
    elif request.path in OPEN_PATHS or session.signed_in:
        try:
            response = await handler(request)
        except web.HTTPException as error:
            response = error
            if error.status >= 400:  # a page that says what happened, not aiohttp's plain text
                line = f"{error.status}: {error.reason}"
                response = _html(pages.message_page(error.reason, line), error.status)
        except ListenError as error:  # listen.toml broken while serving: its one-line reason
            response = _html(pages.message_page("Cannot serve this page", str(error)), 500)
    elif request.method == "GET" and not unsafe:
        response = web.HTTPSeeOther("/login")
    else:
        response = _html(pages.message_page("Sign in first", "sign in with the team passphrase"), 403)
    if fresh is not None and not response.prepared:
        _set_cookie(response, state, fresh)
    return response


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", pages.CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"


async def style(request: web.Request) -> web.Response:
    return web.Response(text=pages.STYLE, content_type="text/css")


async def login_form(request: web.Request) -> web.StreamResponse:
    session = request["session"]
    if session.signed_in:
        raise web.HTTPSeeOther("/")
    return _html(pages.login_page(csrf=session.csrf))


async def login(request: web.Request) -> web.StreamResponse:
    state, session = _state(request), request["session"]
    form = await request.post()
    if not csrf_ok(session, str(form.get("csrf", ""))):
        return _html(pages.login_page("the form has expired: try again", csrf=session.csrf), 403)
    if not state.locked:
        raise web.HTTPSeeOther("/")
    client = _client(request)
    wait = state.failures.wait_seconds(client)
    if wait > 0:
        message = f"too many wrong passphrases: try again in {wait:.0f} s"
        return _html(pages.login_page(message, csrf=session.csrf), 429)
    passphrase, stored = str(form.get("passphrase", "")), state.passphrase_hash
    assert stored is not None
    state.failures.failed(client)  # counted before the check: guesses sent at once all count
    if not await asyncio.to_thread(verify_passphrase, passphrase, stored):
        return _html(pages.login_page("wrong passphrase", csrf=session.csrf), 401)
    state.failures.succeeded(client)
    state.sessions.end(session.id)  # a new id on sign-in (no session fixation)
    signed = state.sessions.new(signed_in=True, under=stored)
    response = web.HTTPSeeOther("/")
    _set_cookie(response, state, signed)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    state, session = _state(request), request["session"]
    form = await request.post()
    if not csrf_ok(session, str(form.get("csrf", ""))):
        return _html(pages.message_page("Refused", "the form has expired: reload the page"), 403)
    state.sessions.end(session.id)
    raise web.HTTPSeeOther("/login" if state.locked else "/")


def _accept() -> str:
    from listen.audio.decode import AUDIO_EXTENSIONS
    from listen.ingest.text import TEXT_EXTENSIONS

    return ",".join(sorted(AUDIO_EXTENSIONS | TEXT_EXTENSIONS))


def _render(request: web.Request, outcome: tuple[bool, str] | None = None, status: int = 200) -> web.Response:
    state, session = _state(request), request["session"]
    settings = state.settings()
    members = tuple(member.name for member in settings.members)
    rep = request.query.get("by", session.rep)[:100]
    recent = None
    if rep:
        mine = [clip for clip in state.store.clips() if clip.submitted_by == rep]
        recent = list(reversed(mine))[:RECENT]
    return _html(
        pages.upload_page(
            csrf=session.csrf, members=members, rep=rep, accept=_accept(), outcome=outcome, recent=recent,
            worker=state.worker.state if state.worker else None, signed_in=state.locked,
            max_bytes=state.options.max_upload_bytes, max_minutes=settings.audio.max_clip_minutes,
            transcribing=state.worker is not None,
        ),
        status,
    )  # fmt: skip


async def index(request: web.Request) -> web.Response:
    return _render(request)


async def upload(request: web.Request) -> web.StreamResponse:
    state, session = _state(request), request["session"]
    try:
        received = await read_upload(
            request, state.workspace, state.options.max_upload_bytes, lambda token: csrf_ok(session, token)
        )
    except Refused as refused:
        response = _render(request, (False, str(refused)), refused.status)
        if refused.status == 413:
            response.force_close()  # the rest of the body is not read
        return response
    except HttpProcessingError:  # a part's headers that no browser sends (a NUL in a file name...)
        response = _render(request, (False, "not an upload form a browser sends: nothing was stored"), 400)
        response.force_close()
        return response
    settings = state.settings()
    try:
        by = rep_of(received.fields, tuple(member.name for member in settings.members))
        session.rep = by
        result = await asyncio.to_thread(
            submit_file, state.store, received.file, submitted_by=by, settings=settings,  # type: ignore[arg-type]
            channel=channel_of(received.fields), rep_view=rep_view_of(received.fields),
        )  # fmt: skip
    except Refused as refused:
        return _render(request, (False, f"{received.name}: {refused}"), refused.status)
    except InputError as error:
        return _render(request, (False, one_line(f"{received.name}: {error.reason}")), 400)
    except ListenError as error:
        return _render(request, (False, one_line(f"{received.name}: {error}")), 400)
    finally:
        discard(received)
    if state.worker is not None and result.clip.status == "queued":
        state.worker.wake()
    return _render(request, (True, one_line(outcome_line(received.name, result))))


async def make_web_app(options: ServeOptions) -> web.Application:
    options.workspace.ensure()
    make_private_dir(uploads_dir(options.workspace))
    remove_stale_uploads(options.workspace)
    state = State(options)
    app = web.Application(middlewares=[access], client_max_size=256 * 1024)
    app[STATE] = state
    app.on_response_prepare.append(security_headers)
    app.add_routes([
        web.get("/", index), web.post("/upload", upload), web.get("/style.css", style),
        web.get("/login", login_form), web.post("/login", login), web.post("/logout", logout),
    ])  # fmt: skip
    if options.app:
        from listen.serve.textual_app import make_app_subapp

        app.add_subapp("/app/", await make_app_subapp(options.workspace.root))
    return app


def tls_context(options: ServeOptions) -> ssl.SSLContext | None:
    if options.tls_cert is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(options.tls_cert, options.tls_key)
    except (OSError, ssl.SSLError) as error:
        raise ListenError(f"{options.tls_cert}: cannot use the certificate and key ({error})") from None
    return context


async def serve_forever(options: ServeOptions) -> None:
    app = await make_web_app(options)
    state = app[STATE]
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, options.host, options.port, ssl_context=tls_context(options))
        try:
            await site.start()
        except OSError as error:
            raise ListenError(f"cannot listen on {options.host}:{options.port} ({error.strerror})") from None
        port = runner.addresses[0][1]
        scheme = "https" if state.secure else "http"
        host = f"[{options.host}]" if ":" in options.host else options.host
        print(f"listen serve: {scheme}://{host}:{port}/ (workspace {options.workspace.root}; Ctrl+C stops)",
              flush=True)  # fmt: skip
        if state.worker is not None:
            state.worker.start()
        watcher = _drop_folder(state)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        if watcher is not None:
            watcher.stop()
    finally:
        if state.worker is not None:
            state.worker.stop()
        await runner.cleanup()


def _drop_folder(state: State) -> Any:
    """Start watching the drop folder, if one was given (the returned thread has ``stop``)."""
    options = state.options
    if options.watch is None:
        return None
    from listen.serve.watch import DropFolder, DropFolderThread

    def log(line: str) -> None:
        print(line, flush=True)

    drop = DropFolder(state.store, state.settings, options.watch, options.watch_by, log=log)
    drop.prepare()
    thread = DropFolderThread(drop, on_import=state.worker.wake if state.worker else None)
    thread.start()
    return thread


def run(options: ServeOptions) -> int:
    asyncio.run(serve_forever(options))
    print("listen serve: stopped", file=sys.stderr)
    return 0
