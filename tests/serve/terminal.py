"""What a browser tab on /app/ shows, read from the bytes the app process sends it.

textual-serve passes the app's terminal output to the page unchanged (binary websocket frames),
and xterm.js draws it on a canvas, where a test cannot read it. This is the part of a terminal
that Textual's output uses: cursor positioning (CSI row;col H), erasing (CSI J, CSI K), newline
and carriage return, and text written at the cursor (wide characters take two cells); colours,
modes and queries (SGR, CSI ?...h/l, DECRQM, OSC) change nothing that is read here and are
skipped. The bytes may be cut anywhere by the frames: an unfinished sequence or UTF-8 character
waits for the next frame."""

from __future__ import annotations

import codecs
import re

from rich.cells import get_character_cell_size

# CSI (parameters, intermediates, final byte), OSC (ended by BEL or ST), or a two-byte escape
SEQUENCE = re.compile(r"\x1b(?:\[([0-?]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[0-~])")
UNFINISHED = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[()])?\Z")


class Screen:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]
        self.row = self.col = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""

    def resize(self, width: int, height: int) -> None:
        self.cells = [
            (self.cells[y][:width] + [" "] * max(0, width - self.width)) if y < self.height else [" "] * width
            for y in range(height)
        ]
        self.width, self.height = width, height
        self.row, self.col = min(self.row, height - 1), min(self.col, width - 1)

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        unfinished = UNFINISHED.search(text)
        cut = unfinished.start() if unfinished and unfinished.group() else len(text)
        text, self._pending = text[:cut], text[cut:]
        position = 0
        for match in SEQUENCE.finditer(text):
            self._write(text[position : match.start()])
            if match.group(2):
                self._control(match.group(1) or "", match.group(2))
            position = match.end()
        self._write(text[position:])

    def _control(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=")):
            return  # private modes and queries
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        first = numbers[0] if numbers else 0
        if final in "Hf":
            row = numbers[0] if numbers and numbers[0] else 1
            col = numbers[1] if len(numbers) > 1 and numbers[1] else 1
            self.row, self.col = min(row, self.height) - 1, min(col, self.width) - 1
        elif final == "J":
            rows = {0: range(self.row + 1, self.height), 1: range(self.row), 2: range(self.height)}
            for y in rows.get(first, range(self.height)):
                self.cells[y] = [" "] * self.width
            if first == 0:
                self.cells[self.row][self.col :] = [" "] * (self.width - self.col)
            elif first == 1:
                self.cells[self.row][: self.col + 1] = [" "] * (self.col + 1)
        elif final == "K":
            line = self.cells[self.row]
            span = {0: range(self.col, self.width), 1: range(self.col + 1), 2: range(self.width)}
            for x in span.get(first, range(self.width)):
                line[x] = " "
        elif final in "ABCD":
            step = max(1, first)
            if final == "A":
                self.row = max(0, self.row - step)
            elif final == "B":
                self.row = min(self.height - 1, self.row + step)
            elif final == "C":
                self.col = min(self.width - 1, self.col + step)
            else:
                self.col = max(0, self.col - step)

    def _write(self, text: str) -> None:
        for char in text:
            if char == "\n":
                self.row, self.col = min(self.row + 1, self.height - 1), 0
            elif char == "\r":
                self.col = 0
            elif char < " " or char == "\x7f":
                continue
            else:
                size = get_character_cell_size(char)
                if size == 0 or self.col + size > self.width:
                    continue  # combining marks are not needed here; nothing wraps in Textual output
                self.cells[self.row][self.col] = char
                if size == 2:
                    self.cells[self.row][self.col + 1] = ""
                self.col += size

    @property
    def lines(self) -> list[str]:
        return ["".join(line).rstrip() for line in self.cells]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
