"""The app at /app/ through textual-serve: a real `listen` process per websocket, on the server's
workspace, driven as a browser tab drives it (the websocket protocol of textual-serve's page)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from helpers import run_listen

from tests.serve.server import Browser, Server

ESCAPES = re.compile(rb"\x1b(\[[0-9;?$]*[a-zA-Z]|\][^\x07]*\x07|[()][A-Z0-9])")


class Tab:
    """One browser tab on /app/: its websocket and the screen text it has received so far."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.received = b""

    @property
    def text(self) -> str:
        return ESCAPES.sub(b"", self.received).decode("utf-8", "replace")

    async def wait_for(self, needle: str, timeout: float) -> bool:
        start = len(self.received)
        try:
            async with asyncio.timeout(timeout):
                while needle not in ESCAPES.sub(b"", self.received[max(0, start - 4096) :]).decode(
                    "utf-8", "replace"
                ):
                    message = await self.ws.receive()
                    if message.type == aiohttp.WSMsgType.BINARY:
                        self.received += message.data
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        self.received += message.data.encode()
                    elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        return False
        except TimeoutError:
            return False
        return True

    async def key(self, keys: str) -> None:
        await self.ws.send_json(["stdin", keys])


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    result = run_listen("demo", "--copy-only", "--workspace", root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def server(demo: Path) -> Iterator[Server]:
    running = Server(demo, "--no-transcribe")
    yield running
    running.stop()


def test_the_app_page_is_served_offline_with_a_strict_policy(server: Server) -> None:
    page = Browser(server.url).get("/app/")
    assert page.status == 200
    assert "googleapis" not in page.body  # nothing fetched from the internet
    assert f"{server.url.replace('http', 'ws')}/app/ws" in page.body
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "'sha256-" in policy and "unsafe-eval" not in policy


def test_two_tabs_run_the_app_on_one_workspace_and_see_a_new_clip(server: Server) -> None:
    """Two tabs, each its own `listen` process; a clip submitted through the upload page appears in
    the Inbox of a tab that is already open (the app's live workspace), without a key pressed."""

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            ws_url = server.url.replace("http", "ws") + "/app/ws?width=120&height=35"
            async with (
                session.ws_connect(ws_url, origin=server.url) as first,
                session.ws_connect(ws_url, origin=server.url) as second,
            ):
                tabs = [Tab(first), Tab(second)]
                for tab in tabs:
                    await tab.ws.send_json(["resize", {"width": 120, "height": 35}])
                    assert await tab.wait_for("Home", 60), tab.text[-2000:]
                    await tab.key("2")  # the Inbox
                    assert await tab.wait_for("Inbox", 30)
                browser = Browser(server.url)
                page = await asyncio.to_thread(browser.get, "/")
                reply = await asyncio.to_thread(
                    browser.upload, {"csrf": page.csrf(), "by": "Ana Ruiz"}, "quokka.txt",
                    b"Customer asked where the quokka saddle is.\n",
                )  # fmt: skip
                assert reply.status == 200, reply.message
                # generous bound: the live workspace polls every 2 s (bench/bench_serve.py measures)
                for tab in tabs:
                    assert await tab.wait_for("quokka", 30), tab.text[-3000:]

    asyncio.run(scenario())


def test_a_websocket_from_another_site_is_refused(server: Server) -> None:
    async def scenario() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(
                    server.url.replace("http", "ws") + "/app/ws", origin="http://evil.example"
                ):
                    return 101
            except aiohttp.WSServerHandshakeError as error:
                return error.status

    assert asyncio.run(scenario()) == 403
