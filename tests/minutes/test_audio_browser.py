"""Minutes with audio in a real browser (Debian's chromium, headless, over DevTools): the page
opened from disk makes no network request, its CSP reports no violation, and the browser decodes
every embedded quote (their duration is what listen wrote)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from listen.audio.decode import inspect_audio
from listen.minutes.audio_export import export_minutes_with_audio
from listen.settings import Settings
from listen.store import Store
from listen.workspace import Workspace
from tests.minutes.audio_helpers import audio_clip, session_with_quotes, tone_words, transcript_of
from tests.serve.browser import Chromium, Page, chromium_path

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="needs Debian's chromium (make test installs it)"
)

TEXT = "My number is five five five two one three four four seven seven. Thanks a lot."


@pytest.mark.slow
def test_the_page_makes_no_request_and_plays_its_quotes(workspace: Workspace, tmp_path: Path) -> None:
    store = Store(workspace)
    samples, said = tone_words(TEXT.split())
    clip_id = audio_clip(store, tmp_path, "call", [samples])
    store.write_transcript(clip_id, transcript_of(said))
    session_with_quotes(store, [(clip_id, said[0].start, said[-1].end, TEXT),
                                (clip_id, said[0].start, said[3].end, "My number is five")])  # fmt: skip
    out = tmp_path / "page" / "minutes.html"
    out.parent.mkdir()
    done = export_minutes_with_audio(
        store, Settings(region="US"), workspace, fmt="html", output=out, reel=True
    )
    assert done.folder is None and len(done.audio.quotes) == 2 and done.audio.reel
    wrote = tmp_path / "check.ogg"
    wrote.write_bytes(done.audio.quotes[0].data)
    expected = inspect_audio(wrote).duration
    browser = Chromium(tmp_path / "profile")

    async def scenario() -> tuple[list[str], list[str], list[float]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(browser.url, max_msg_size=0) as ws:
            page = await Page.open(ws)
            await page.call("Network.enable")
            await page.navigate(out.as_uri())
            durations: list[float] = []
            async with asyncio.timeout(60):
                while True:  # the browser decodes each <audio>'s metadata from its data: URI
                    durations = await page.js(
                        "Array.from(document.querySelectorAll('audio'))"
                        ".map(a => a.readyState >= 1 ? a.duration : -1)"
                    )
                    if durations and all(d >= 0 for d in durations):
                        break
                    await asyncio.sleep(0.2)  # polling the page, as tests/serve does
            requests = [
                e["params"]["request"]["url"]
                for e in page.events
                if e["method"] == "Network.requestWillBeSent"
            ]
            return requests, page.console, durations

    try:
        requests, console, durations = asyncio.run(scenario())
    finally:
        browser.stop()
    outside = [url for url in requests if not (url == out.as_uri() or url.startswith("data:"))]
    assert not outside, outside
    assert not [line for line in console if "Content Security Policy" in line], console
    assert len(durations) == 3  # two quotes and the reel
    assert abs(durations[0] - expected) < 0.1
