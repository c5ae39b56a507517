"""A real browser: Debian's chromium, headless, driven over the DevTools protocol. Signs in with
the passphrase, uploads a real call recording with the rep's view, sees it queued then
transcribed; a text file named .mp3 shows the one-line reason; /app/ loads under its CSP and
shows Home with the new clip counted, then the Inbox with its title (the app's screen read from
the websocket frames the page received, as xterm.js draws them)."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import aiohttp
import pytest
from helpers import REPO, run_listen

from listen.store import Store
from listen.workspace import Workspace
from tests.serve.browser import Chromium, Page, chromium_path
from tests.serve.server import Server
from tests.serve.test_serve import PASSPHRASE, set_passphrase

SPEECH = REPO / "tests" / "fixtures" / "speech"

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="needs Debian's chromium (make test installs it)"
)


@pytest.mark.slow
def test_a_rep_signs_in_uploads_and_sees_the_clip_transcribed(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert run_listen("demo", "--copy-only", "--workspace", root).returncode == 0
    assert set_passphrase(root, PASSPHRASE).returncode == 0
    not_audio = tmp_path / "note.mp3"
    not_audio.write_text("this is a text file\n" * 10)
    server = Server(root)
    browser = Chromium(tmp_path / "profile")

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(browser.url, max_msg_size=0) as ws:
            page = await Page.open(ws)
            await page.navigate(server.url + "/")
            assert await page.js("location.pathname") == "/login"  # redirected: not signed in
            await page.js(f"document.getElementById('passphrase').value = {json.dumps(PASSPHRASE)}")
            await page.click_and_load("#sign-in")
            assert await page.js("location.pathname") == "/", await page.js("document.body.innerText")
            await page.js("document.getElementById('by').value = 'Ana Ruiz'")
            await page.js("document.getElementById('needed').value = 'to know <when> the refund lands'")
            await page.js("document.getElementById('helped').value = 'partly'")
            await page.choose_file("#file", SPEECH / "jfk.flac")
            await page.click_and_load("#submit")
            message = await page.text("#message")
            assert message and message.startswith("jfk.flac: clip ") and "queued for transcription" in message
            clip_id = message.split("clip ", 1)[1].split()[0]
            # the worker transcribes it; the rep reloads the page to see
            for _ in range(120):
                await page.navigate(server.url + "/")
                status = await page.text(f"#clip-{clip_id} .status")
                if status in ("transcribed", None) or (status or "").startswith("failed"):
                    break
                await asyncio.sleep(2)
            assert status == "transcribed"
            # a refused upload: the one-line reason
            await page.js("document.getElementById('by').value = 'Ana Ruiz'")
            await page.choose_file("#file", not_audio)
            await page.click_and_load("#submit")
            refused = await page.text("#message")
            assert refused and refused.startswith("note.mp3: ") and "\n" not in refused
            # the app page loads under its policy
            await page.navigate(server.url + "/app/")
            assert await page.js("document.querySelector('.textual-terminal') !== null")
            drawn = False
            for _ in range(90):  # textual.js marks the page when the app process's first bytes arrive
                drawn = bool(await page.js("document.body.classList.contains('-first-byte')"))
                if drawn:
                    break
                await asyncio.sleep(1)
            assert drawn, "the app process never drew"
            # what xterm.js draws on its canvas, read from the frames the page received: Home,
            # counting the new clip among all of them
            total = len(Store(Workspace(root)).clips())
            home = ("Clips waiting", "Open actions", f"of {total} clips")
            screen = await page.terminal_shows(*home, timeout=60)
            assert "Clips waiting" in screen.text and f"of {total} clips" in screen.text, screen.text
            (tmp_path / "app.txt").write_text(screen.text)  # to look at when it fails
            shot = await page.call("Page.captureScreenshot", format="png")
            (tmp_path / "app.png").write_bytes(base64.b64decode(shot["data"]))
            # the Inbox (key 2, typed into the terminal) lists the new clip by its title
            clip = next(c for c in Store(Workspace(root)).clips() if c.id == clip_id)
            await page.js("document.querySelector('.xterm-helper-textarea').focus()")
            await page.press("2")
            screen = await page.terminal_shows("Inbox", clip.title, "transcribed", timeout=60)
            assert clip.title in screen.text and "Ana Ruiz" in screen.text, screen.text
            violations = [line for line in page.console if "Content Security Policy" in line]
            assert violations == [], violations

    try:
        asyncio.run(scenario())
    finally:
        browser.stop()
        server.stop()
