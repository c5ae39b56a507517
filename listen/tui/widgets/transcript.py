"""A transcript that follows playback: the segment being played is marked, and the cursor moves
with it until you move it yourself. Enter (or a click) on a segment seeks there; shift+↑/↓
selects a range to quote."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from listen.domain import Clip, Transcript
from listen.ingest.thread import speaker_label
from listen.timefmt import position
from listen.tui.safe import multi_line, one_line

# readable on the background and on the highlighted line (the cursor is $primary-blue)
SPEAKER_STYLE = {"customer": "bold $warning", "agent": "bold $success"}


@dataclass(frozen=True)
class Line:
    """One segment as shown: times (None for text clips), speaker, words; which segment it is,
    where its uncertain words are (character offsets into ``text``), whether a person corrected it;
    a text clip's message also its sender's name and the time the chat gives it."""

    start: float | None
    end: float | None
    text: str
    speaker: str | None = None
    segment: int = 0
    marks: tuple[tuple[int, int], ...] = ()
    corrected: bool = False
    sender: str | None = None
    at: str | None = None

    @property
    def who(self) -> str:
        return speaker_label(self.speaker, self.sender)


@dataclass(frozen=True)
class Selection:
    start: float | None
    end: float | None
    text: str
    speaker: str | None
    first: int
    last: int
    sender: str | None = None


def lines_of(clip: Clip, transcript: Transcript | None, uncertain_below: float = 0.0) -> list[Line]:
    """The lines to show; with ``uncertain_below``, the words the model was unsure of are marked."""
    from listen.transcribe.uncertain import uncertain_in

    if transcript is None:
        return []
    timed = clip.kind == "audio"
    threshold = uncertain_below if timed else 0.0
    lines = []
    for index, seg in enumerate(transcript.segments):
        text = seg.text.strip()
        if not text:
            continue
        lead = len(seg.text) - len(seg.text.lstrip())
        marks = tuple((s.first - lead, s.last - lead) for s in uncertain_in(seg, threshold, index))
        lines.append(
            Line(
                seg.start if timed else None,
                seg.end if timed else None,
                text,
                seg.speaker,
                segment=index,
                marks=marks,
                corrected=seg.corrected,
                sender=None if timed else seg.sender,
                at=None if timed else seg.at,
            )
        )
    return lines


def _quoted_who(line: Line) -> str:
    return speaker_label(line.speaker, None if line.speaker == "customer" else line.sender)


def _flat(text: str) -> str:
    """A message's lines as one line of a quote."""
    return " ".join(text.split())


class TranscriptView(OptionList, inherit_bindings=False):
    """One option per segment. Lines wrap, so the list never scrolls sideways: ← and → are left to
    the player (five seconds back and forward) instead of the inherited horizontal scrolling."""

    DEFAULT_CSS = """
    TranscriptView {
        height: 1fr;
        border: none;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Previous line", show=False),
        Binding("down", "cursor_down", "Next line", show=False),
        Binding("home", "first", "First line", show=False),
        Binding("end", "last", "Last line", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("enter", "select", "Play from here", show=False),
        Binding("shift+down", "extend(1)", "Extend selection", show=False, id="transcript-extend-down"),
        Binding("shift+up", "extend(-1)", "Extend selection", show=False, id="transcript-extend-up"),
        Binding("f", "follow", "Follow playback", show=False, id="transcript-follow"),
    ]

    class Seek(Message):
        """The user chose a segment: play from its start."""

        def __init__(self, seconds: float) -> None:
            super().__init__()
            self.seconds = seconds

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Line] = []
        self._starts: list[float] = []
        self.playing: int | None = None
        self.range_anchor: int | None = None
        self.following = True

    # ---- content
    def show_lines(self, lines: list[Line], *, empty: str = "No transcript yet.") -> None:
        self.lines = lines
        self._starts = [line.start or 0.0 for line in lines]
        self.playing = None
        self.range_anchor = None
        self.following = True
        self.clear_options()
        if not lines:
            self.add_option(Option(Content.styled(empty, "dim"), disabled=True))
            return
        self.add_options([Option(self._line_prompt(i)) for i in range(len(lines))])
        self.highlighted = 0

    def _line_prompt(self, index: int) -> Content:
        line = self.lines[index]
        selected = self._in_selection(index)
        playing = index == self.playing
        parts: list[str | tuple[str, str]] = [("▌" if selected else " ", "bold $accent")]
        if playing:
            parts.append(("▶ ", "bold $success"))
        elif line.start is not None:
            parts.append("  ")
        if line.start is not None:
            parts.append((f"{position(line.start):>5} ", "dim"))
        elif line.at:
            parts.append((f"{one_line(line.at)} ", "dim"))
        if line.who and not line.text.casefold().startswith(f"{(line.speaker or '').casefold()}:"):
            parts.append((f"{one_line(line.who)}: ", SPEAKER_STYLE.get(line.speaker or "", "bold")))
        if line.corrected:
            parts.append(("✎ ", "dim"))
        parts.extend(_marked(line, "bold" if playing else ""))
        content = Content.assemble(*parts)
        return content.stylize("on $accent 25%") if selected else content

    def update_lines(self, lines: list[Line], *, highlight: int | None = None) -> None:
        """New lines for the same clip (a correction): the cursor stays (or goes to ``highlight``),
        the selection goes, following playback goes on as it was."""
        where = self.highlighted if highlight is None else highlight
        self.lines = lines
        self._starts = [line.start or 0.0 for line in lines]
        self.range_anchor = None
        playing, self.playing = self.playing, None
        self.clear_options()
        self.add_options([Option(self._line_prompt(i)) for i in range(len(lines))])
        if lines:
            self.highlighted = min(max(where or 0, 0), len(lines) - 1)
            if playing is not None:
                self.playing = min(playing, len(lines) - 1)
                self._redraw(self.playing)

    def line_of_segment(self, segment: int) -> int | None:
        """The line showing segment ``segment`` (None for an empty one, which is not shown)."""
        for index, line in enumerate(self.lines):
            if line.segment == segment:
                return index
        return None

    def _redraw(self, *indexes: int | None) -> None:
        for index in set(indexes):
            if index is not None and 0 <= index < len(self.lines):
                self.replace_option_prompt_at_index(index, self._line_prompt(index))

    # ---- playback
    def follow_position(self, seconds: float) -> None:
        """Mark the segment being played at ``seconds``; move the cursor with it when following."""
        if not self.lines or self.lines[0].start is None:
            return
        index = max(0, bisect.bisect_right(self._starts, seconds) - 1)
        if index == self.playing:
            return
        old, self.playing = self.playing, index
        self._redraw(old, index)
        if self.following and self.range_anchor is None:
            self.highlighted = index

    # ---- selection
    def _in_selection(self, index: int) -> bool:
        if self.range_anchor is None or self.highlighted is None:
            return False
        low, high = sorted((self.range_anchor, self.highlighted))
        return low <= index <= high

    def _selection_bounds(self) -> tuple[int, int] | None:
        if not self.lines or self.highlighted is None:
            return None
        if self.range_anchor is None:
            return self.highlighted, self.highlighted
        low, high = sorted((self.range_anchor, self.highlighted))
        return low, high

    def selection(self) -> Selection | None:
        """The selected range (or the segment under the cursor)."""
        bounds = self._selection_bounds()
        if bounds is None:
            return None
        first, last = bounds
        chosen = self.lines[first : last + 1]
        people = {(line.speaker, line.sender) for line in chosen}
        speaker, sender = people.pop() if len(people) == 1 else (None, None)
        if chosen[0].start is not None:
            text = " ".join(line.text for line in chosen)
        elif speaker is None and sender is None and any(line.who for line in chosen):
            # lines of a thread from several people: each keeps who wrote it (a customer by role
            # only, as the minutes name them)
            text = " ".join(f"{_quoted_who(line)}: {_flat(line.text)}".removeprefix(": ") for line in chosen)
        else:
            text = " ".join(_flat(line.text) for line in chosen)
        return Selection(
            start=chosen[0].start,
            end=chosen[-1].end,
            text=text,
            speaker=speaker,
            first=first,
            last=last,
            sender=sender,
        )

    def clear_selection(self) -> None:
        bounds = self._selection_bounds()
        self.range_anchor = None
        if bounds:
            self._redraw(*range(bounds[0], bounds[1] + 1))

    def action_extend(self, step: int) -> None:
        if not self.lines or self.highlighted is None:
            return
        if self.range_anchor is None:
            self.range_anchor = self.highlighted
        before = self._selection_bounds()
        self.highlighted = max(0, min(len(self.lines) - 1, self.highlighted + step))
        after = self._selection_bounds()
        self.following = False
        touched: set[int] = set()
        for bounds in (before, after):
            if bounds:
                touched.update(range(bounds[0], bounds[1] + 1))
        self._redraw(*touched)

    def action_cursor_down(self) -> None:
        self._manual_move()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._manual_move()
        super().action_cursor_up()

    def _manual_move(self) -> None:
        self.following = False
        if self.range_anchor is not None:
            self.clear_selection()

    def action_follow(self) -> None:
        self.following = True
        self.clear_selection()
        if self.playing is not None:
            self.highlighted = self.playing

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.lines) and self.lines[index].start is not None:
            self.following = True
            self.clear_selection()
            self.post_message(self.Seek(self.lines[index].start or 0.0))


UNSURE_STYLE = "underline $warning"


def _marked(line: Line, style: str) -> list[tuple[str, str]]:
    """The line's text in pieces, each through the display sanitiser; uncertain words underlined."""
    parts: list[tuple[str, str]] = []
    at = 0
    for first, last in line.marks:
        if first < at or last > len(line.text):
            continue
        parts.append((multi_line(line.text[at:first]), style))
        parts.append((multi_line(line.text[first:last]), f"{style} {UNSURE_STYLE}".strip()))
        at = last
    parts.append((multi_line(line.text[at:]), style))
    return [part for part in parts if part[0]]
