"""A browser tab on /app/ without the browser: the websocket textual-serve's page opens, spoken as
its textual.js speaks it (["resize", {...}], ["stdin", keys]; the app's output comes back as binary
frames of terminal bytes), and the screen those bytes draw (tests/serve/terminal.py).

Every frame is read as it arrives, by a task of its own, so the time a text first appears on the
screen is the time of the frame that drew it, whatever the test is doing meanwhile."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from tests.serve.terminal import Screen

WIDTH, HEIGHT = 120, 35
ENTER, END, CLEAR_LEFT = "\r", "\x05", "\x15"  # ctrl+e: end of the line; ctrl+u: delete to its start


class Tab:
    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.session = session
        self.ws = ws
        self.screen = Screen(WIDTH, HEIGHT)
        self.closed = False
        self._expected: list[tuple[str, asyncio.Future[float]]] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, base_url: str) -> Tab:
        """Connect as the page does (the Origin of the page, the size in the URL and a resize)."""
        session = aiohttp.ClientSession()
        try:
            ws = await session.ws_connect(
                f"{base_url.replace('http', 'ws', 1)}/app/ws?width={WIDTH}&height={HEIGHT}", origin=base_url
            )
            await ws.send_json(["resize", {"width": WIDTH, "height": HEIGHT}])
        except BaseException:
            await session.close()
            raise
        return cls(session, ws)

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    arrived = time.time()
                    self.screen.feed(message.data)
                    if self._expected:
                        text = self.screen.text
                        for needle, future in self._expected:
                            if needle in text and not future.done():
                                future.set_result(arrived)
                        self._expected = [(n, f) for n, f in self._expected if not f.done()]
        finally:
            self.closed = True
            for _, future in self._expected:
                if not future.done():
                    future.set_exception(AssertionError("the app's websocket closed"))

    def expect(self, needle: str) -> asyncio.Future[float]:
        """A future that gets the wall-clock time (time.time()) of the frame after which the
        screen shows ``needle``; at once if it shows it already."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if needle in self.screen.text:
            future.set_result(time.time())
        elif self.closed:
            future.set_exception(AssertionError("the app's websocket closed"))
        else:
            self._expected.append((needle, future))
        return future

    async def shows(self, *needles: str, timeout: float) -> bool:
        """Whether the screen shows every needle (at once) within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            if all(needle in self.screen.text for needle in needles):
                return True
            missing = next(needle for needle in needles if needle not in self.screen.text)
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.expect(missing), left)
            except TimeoutError:
                return False

    async def hides(self, needle: str, *, timeout: float) -> bool:
        """Whether ``needle`` is gone from the screen within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while needle in self.screen.text:
            if self.closed or time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    async def key(self, key: str) -> None:
        """One key as a terminal sends it (the page sends what xterm.js reads from the keyboard,
        a message a key press)."""
        await self.ws.send_json(["stdin", key])

    async def type(self, text: str) -> None:
        for char in text:
            await self.key(char)

    async def retitle(self, old: str, new: str) -> None:
        """On the Actions screen: e (the title prompt of the action under the cursor), the old
        title cleared, the new one typed key by key; Enter is left to the caller."""
        await self.key("e")
        assert await self.shows(f"▊  {old}", timeout=30), self.screen.text
        await self.key(END)
        await self.key(CLEAR_LEFT)  # a binding: it runs after keys typed at once would be
        assert await self.hides(f"▊  {old}", timeout=30), self.screen.text
        await self.type(new)
        assert await self.shows(f"▊  {new}", timeout=30), self.screen.text

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        await self.session.close()
