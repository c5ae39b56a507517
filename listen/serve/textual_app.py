"""The app at ``/app/``: textual-serve's ``Server`` (aiohttp) mounted as a sub-application of the
upload server, on the same port, behind the same sign-in. Each browser tab opens a websocket and
gets its own ``listen --workspace W`` process on the host (textual-serve's ``AppService``), so
every lock stays on the host's local disk.

Three changes to textual-serve's defaults (by subclassing; nothing of it is copied):
- its page would fetch a font from fonts.googleapis.com: the line is dropped (listen is offline);
- its URLs come from a fixed ``public_url`` (host:port as started, wrong behind 0.0.0.0): they are
  made from each request's own scheme and host instead;
- its start-up banner is not printed; the page gets a Content-Security-Policy allowing only its
  own scripts (the inline one by hash), styles, fonts and the websocket on the same host.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shlex
import sys
from pathlib import Path
from typing import Any

INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
# its Start/Restart buttons: onClick="refresh()"
INLINE_HANDLER = re.compile(rb'\son[a-z]+="([^"]*)"', re.I)
GOOGLE_FONTS = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.S)


def app_command(workspace_root: Path) -> str:
    """The shell command textual-serve runs for each tab (it starts it with a shell)."""
    return f"{shlex.quote(sys.executable)} -m listen --workspace {shlex.quote(str(workspace_root))}"


def app_csp(body: bytes, host: str, secure: bool) -> str:
    """The page's own inline script and button handlers are allowed by their hashes, nothing else."""
    inline = INLINE_SCRIPT.findall(body) + INLINE_HANDLER.findall(body)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in dict.fromkeys(inline)
    )
    if INLINE_HANDLER.search(body):
        hashes += " 'unsafe-hashes'"  # CSP 3: handler attributes are allowed by hash only with it
    ws = f"{'wss' if secure else 'ws'}://{host}"
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' {ws}; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


async def make_app_subapp(workspace_root: Path) -> Any:
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    class ListenAppServer(Server):
        async def on_startup(self, app: web.Application) -> None:
            pass  # no banner: `listen serve` prints its own line

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            original = Path(self.templates_path)

            def load(name: str) -> str:
                text = (original / name).read_text(encoding="utf-8")
                return GOOGLE_FONTS.sub("", text)

            aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(load))
            return app

        async def handle_index(self, request: web.Request) -> Any:
            self.public_url = f"{request.scheme}://{request.host}"  # no await before it is used
            response = await super().handle_index(request)
            response.headers["Content-Security-Policy"] = app_csp(
                getattr(response, "body", None) or b"", request.host, request.scheme == "https"
            )
            return response

    server = ListenAppServer(app_command(workspace_root), title="listen")
    return await server._make_app()
