"""Debian's chromium, headless, driven over the DevTools protocol (a websocket on 127.0.0.1; no
driver to download): navigate, fill a form, choose a file, click, read the page, collect the
console (CSP violations land there)."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp

from tests.serve.terminal import Screen

DEVTOOLS = re.compile(r"DevTools listening on (ws://\S+)")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    def __init__(self, profile: Path) -> None:
        executable = chromium_path()
        assert executable is not None
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
             "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-extensions", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stderr is not None
        for _ in range(200):
            line = self.process.stderr.readline()
            match = DEVTOOLS.search(line)
            if match:
                self.url = match.group(1)
                break
            if not line and self.process.poll() is not None:
                raise AssertionError("chromium did not start")
        else:
            raise AssertionError("chromium did not say where DevTools listens")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        if self.process.stderr is not None:
            self.process.stderr.close()


class Page:
    """One tab, through a flattened DevTools session."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session_id: str) -> None:
        self.ws = ws
        self.session_id = session_id
        self.ids = itertools.count(100)
        self.events: list[dict[str, Any]] = []
        self.console: list[str] = []

    @classmethod
    async def open(cls, ws: aiohttp.ClientWebSocketResponse) -> Page:
        bare = cls(ws, "")
        target = await bare.call("Target.createTarget", url="about:blank", session=False)
        attached = await bare.call(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True, session=False
        )
        page = cls(ws, attached["sessionId"])
        for domain in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            await page.call(domain)
        return page

    async def call(self, method: str, *, session: bool = True, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session_id
        await self.ws.send_str(json.dumps(message))
        while True:
            reply = await self._receive()
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def _receive(self) -> dict[str, Any]:
        message = await self.ws.receive(timeout=120)
        data = json.loads(message.data)
        if "method" in data:
            self.events.append(data)
            params = data.get("params", {})
            if data["method"] == "Log.entryAdded":
                self.console.append(params["entry"].get("text", ""))
            elif data["method"] == "Runtime.consoleAPICalled":
                self.console.append(" ".join(str(a.get("value", "")) for a in params.get("args", [])))
        return data

    async def wait_event(self, method: str, timeout: float = 60) -> None:
        start = len(self.events)
        async with asyncio.timeout(timeout):
            while not any(e["method"] == method for e in self.events[start:]):
                await self._receive()

    async def navigate(self, url: str) -> None:
        await self.call("Page.navigate", url=url)
        await self.wait_event("Page.loadEventFired")

    async def js(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def click_and_load(self, selector: str) -> None:
        start = len(self.events)
        await self.js(f"document.querySelector({json.dumps(selector)}).click()")
        async with asyncio.timeout(120):
            while not any(e["method"] == "Page.loadEventFired" for e in self.events[start:]):
                await self._receive()

    async def choose_file(self, selector: str, path: Path) -> None:
        root = await self.call("DOM.getDocument")
        node = await self.call("DOM.querySelector", nodeId=root["root"]["nodeId"], selector=selector)
        await self.call("DOM.setFileInputFiles", files=[str(path)], nodeId=node["nodeId"])

    async def terminal(self) -> Screen:
        """The screen of the app on this page (/app/), as xterm.js draws it on its canvas: the
        binary websocket frames the page received, replayed in order with the sizes it sent
        (["resize", ...] frames), into a terminal screen (tests/serve/terminal.py)."""
        await self.js("0")  # read the events that arrived meanwhile
        screen = Screen(80, 24)
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            frame = params.get("response", {})
            if method == "Network.webSocketFrameSent" and frame.get("opcode") == 1:
                message = json.loads(frame["payloadData"])
                if isinstance(message, list) and message[:1] == ["resize"]:
                    screen.resize(int(message[1]["width"]), int(message[1]["height"]))
            elif method == "Network.webSocketFrameReceived" and frame.get("opcode") == 2:
                screen.feed(base64.b64decode(frame["payloadData"]))
        return screen

    async def terminal_shows(self, *needles: str, timeout: float) -> Screen:
        """Wait until the app's screen shows every needle; the screen, whether it did or not."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            screen = await self.terminal()
            if all(needle in screen.text for needle in needles):
                return screen
            if asyncio.get_running_loop().time() > deadline:
                return screen
            await asyncio.sleep(0.5)

    async def press(self, key: str) -> None:
        """A printable key typed into the element that has the focus."""
        code = ord(key.upper())
        event = "Input.dispatchKeyEvent"
        await self.call(event, type="keyDown", key=key, text=key, windowsVirtualKeyCode=code)
        await self.call(event, type="keyUp", key=key, windowsVirtualKeyCode=code)

    async def text(self, selector: str) -> str | None:
        return await self.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || null")
