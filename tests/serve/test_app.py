"""The app at /app/ through textual-serve: a real `listen` process per websocket, on the server's
workspace, driven as a browser tab drives it (the websocket protocol of textual-serve's page), and
read as the user sees it (the terminal output decoded into a screen: tests/serve/terminal.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest
from helpers import run_listen

from listen.store import Store
from listen.workspace import Workspace
from tests.serve.apptab import ENTER, Tab
from tests.serve.server import Browser, Server


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


LIVE_SECONDS = 2.0  # issue 14: the app sees other processes' writes within 2 s


def within_live_seconds(record_property: Callable[[str, object], None], name: str, latency: float) -> None:
    """Log the delay (in the JUnit report and the test's output) and hold it to the bound."""
    record_property(name, round(latency, 3))
    print(f"{name}: {latency:.3f} s from the write to the frame that drew it")
    assert 0 <= latency <= LIVE_SECONDS, f"{name}: {latency:.3f} s"


def written_at(*paths: Path) -> float:
    """When the newest of these files was last replaced (wall clock, as time.time())."""
    return max(path.stat().st_mtime_ns for path in paths) / 1e9


def test_a_change_typed_in_one_tab_shows_in_the_other_within_2_s(
    server: Server, demo: Path, record_property: Callable[[str, object], None]
) -> None:
    """Two tabs, each its own `listen` process on the one workspace. In the first, the Actions
    screen: a new title for the first open action, typed key by key. The second tab, left on Home
    with no key pressed, shows the new title in its Open actions card: measured from the moment
    the first process's write replaced db/actions.json to the frame that drew it in the second."""
    open_actions = [a for a in Store(Workspace(demo)).actions() if a.status == "open"]
    action = sorted(open_actions, key=lambda a: (a.due or "9999", a.id))[0]
    row = f"{action.id} {action.title}"
    new_title = "Quokka saddle refit"

    async def scenario() -> float:
        editor, watcher = await Tab.open(server.url), await Tab.open(server.url)
        try:
            for tab in (editor, watcher):
                assert await tab.shows("Open actions", row, timeout=90), tab.screen.text
            await editor.key("5")  # the Actions screen; its first row is the first open action
            assert await editor.shows("showing open only", row, timeout=30), editor.screen.text
            await editor.retitle(action.title, new_title)
            seen = watcher.expect(f"{action.id} {new_title}")
            await editor.key(ENTER)
            drawn = await asyncio.wait_for(seen, 30)
            assert "Open actions" in watcher.screen.text and "Clips waiting" in watcher.screen.text  # Home
            return drawn - written_at(demo / "db" / "actions.json")
        finally:
            await editor.close()
            await watcher.close()

    latency = asyncio.run(scenario())
    assert [a.title for a in Store(Workspace(demo)).actions() if a.id == action.id] == [new_title]
    within_live_seconds(record_property, "cross_tab_seconds", latency)


def test_the_app_shows_home_and_then_the_new_clip_an_upload_added(
    server: Server, demo: Path, record_property: Callable[[str, object], None]
) -> None:
    """A rep uploads through the page (the server's own process writes): a tab on Home, with no
    key pressed, counts the new clip among those waiting; a tab on the Inbox lists its title;
    the Home tab, sent to the Inbox, lists it too."""
    store = Store(Workspace(demo))
    total, queued = len(store.clips()), len(store.clips(status="queued"))

    async def scenario() -> float:
        home, inbox = await Tab.open(server.url), await Tab.open(server.url)
        try:
            for tab in (home, inbox):
                shown = await tab.shows("Clips waiting", f"of {total} clips", f"{queued} queued", timeout=90)
                assert shown, tab.screen.text
            await inbox.key("2")
            assert await inbox.shows("Title", "Status", timeout=30), inbox.screen.text
            counted = home.expect(f"of {total + 1} clips not yet heard")
            browser = Browser(server.url)
            page = await asyncio.to_thread(browser.get, "/")
            reply = await asyncio.to_thread(
                browser.upload, {"csrf": page.csrf(), "by": "Ana Ruiz"}, "quokka.txt",
                b"Customer: where is the quokka saddle I ordered?\n",
            )  # fmt: skip
            assert reply.status == 200, reply.message
            drawn = await asyncio.wait_for(counted, 30)
            latency = drawn - written_at(*(demo / "db" / "clips").glob("*.json"))
            assert "Clips waiting" in home.screen.text
            assert f"{queued} queued" in home.screen.text  # a chat: nothing to transcribe
            clip = next(c for c in Store(Workspace(demo)).clips() if c.source == "quokka.txt")
            assert await inbox.shows(clip.title, timeout=30), inbox.screen.text
            await home.key("2")
            assert await home.shows(clip.title, "Ana Ruiz", timeout=30), home.screen.text
            return latency
        finally:
            await home.close()
            await inbox.close()

    within_live_seconds(record_property, "upload_to_home_seconds", asyncio.run(scenario()))


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
