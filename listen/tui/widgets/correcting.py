"""Correcting a transcript against its audio, in the player panel (the clip view and the Listen
step). Keys on the transcript (each also in the palette):

  e  edit the segment's text while its audio loops (in the editor: ctrl+o plays it again from its
     start, ctrl+l turns the loop off/on, ctrl+b splits the segment at the cursor's word, enter or
     esc is done); the text is saved half a second after the last key and whenever the editor
     closes or the panel goes away
  m  merge the segment with the next one      u / U  undo / redo (within the clip)
  w  next speaker (agent, customer, each team member)   W  choose the speaker
  =  same speaker as the segment before      S  swap the two speakers from here on
  i  the next word the model was unsure of, played

The transcript's data lives in a CorrectionSession (listen/tui/corrections.py); the rules are in
listen/transcribe/corrections.py and uncertain.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from listen.domain import Transcript
from listen.errors import ListenError
from listen.timefmt import position
from listen.tui.safe import one_line

if TYPE_CHECKING:
    from listen.domain import Clip
    from listen.tui.corrections import CorrectionSession
    from listen.tui.widgets.transcript import TranscriptView

SAVE_AFTER = 0.5  # seconds of no typing before a correction is saved (as story answers are)
LEAD_IN = 0.3  # an uncertain word is played from a little before it to a little after it


# the Input's own editing keys that must act in the order typed (not submit, copy, paste...)
_EDIT_KEYS = {
    key.strip(): binding.action
    for binding in Input.BINDINGS
    if isinstance(binding, Binding)
    and binding.action
    in {
        "cursor_left",
        "cursor_right",
        "cursor_left_word",
        "cursor_right_word",
        "delete_left",
        "delete_right",
        "delete_left_word",
        "delete_right_word",
        "delete_left_all",
        "delete_right_all",
        "home",
        "end",
    }
    for key in binding.key.split(",")
}


class SegmentEditor(Input):
    """The text of one segment, edited while its audio loops."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "replay", "Play the segment again", id="edit-replay"),
        Binding("ctrl+l", "loop", "Loop on/off", id="edit-loop"),
        Binding("ctrl+b", "split", "Split at the cursor", id="edit-split"),
        Binding("escape", "done", "Done", id="edit-done"),
    ]
    PALETTE_GROUP = "Correct"

    async def _on_key(self, event: events.Key) -> None:
        """Editing keys (backspace, delete, cursor moves) act here, in the order typed: as
        bindings they would run after the letters typed behind them (a burst from a fast typist
        or a busy machine put '…sorryThanks' where the backspaces should have gone first)."""
        action = _EDIT_KEYS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            self._restart_blink()
            getattr(self, f"action_{action}")()
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        """A pasted text is one line: its lines are joined with a space (not cut at the first)."""
        event.stop()
        event.prevent_default()
        text = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)

    def action_replay(self) -> None:
        self._panel().replay_segment()

    def action_loop(self) -> None:
        self._panel().toggle_loop()

    def action_split(self) -> None:
        self._panel().split_at_cursor()

    def action_done(self) -> None:
        self._panel().finish_editing()

    def _panel(self) -> Correcting:
        node = self.parent
        while node is not None and not isinstance(node, Correcting):
            node = node.parent
        assert node is not None, "a SegmentEditor lives in a player panel"
        return node


CORRECTING_BINDINGS: list[BindingType] = [
    Binding("e", "edit_segment", "Correct text", id="correct-edit"),
    Binding("m", "merge_segment", "Merge with next", show=False, id="correct-merge"),
    Binding("w", "next_speaker", "Speaker", id="correct-speaker"),
    Binding("W", "choose_speaker", "Choose speaker…", show=False, id="correct-speaker-choose"),
    Binding(
        "equals_sign",
        "same_speaker",
        "Same speaker as before",
        show=False,
        key_display="=",
        id="correct-same",
    ),
    Binding("S", "swap_speakers", "Swap speakers from here", show=False, id="correct-swap"),
    Binding("u", "undo_correction", "Undo correction", show=False, id="correct-undo"),
    Binding("U", "redo_correction", "Redo correction", show=False, id="correct-redo"),
    Binding("i", "next_uncertain", "Next unsure word", show=False, id="correct-uncertain"),
]
CORRECTING_ACTIONS = frozenset(
    {
        "edit_segment",
        "merge_segment",
        "next_speaker",
        "choose_speaker",
        "same_speaker",
        "swap_speakers",
        "undo_correction",
        "redo_correction",
        "next_uncertain",
    }
)


class Correcting(Vertical):
    """The player panel's base: what the keys above do. The panel provides ``clip``, ``player``,
    ``transcript`` (the view), ``_guard`` and the widgets ``#segment-editor``, ``#editor-hint``
    and ``#transcript-legend``."""

    BINDINGS: ClassVar[list[BindingType]] = CORRECTING_BINDINGS

    clip: Clip | None
    player: Any
    corrections: CorrectionSession | None = None
    _draft: str | None = None  # what the editor holds (kept here: the editor may go first)
    editing: int | None = None  # the segment in the editor
    _bounds: tuple[float, float, bool] | None = None  # play from, to, loop
    _typing: Timer | None = None
    _last_spot: float | None = None

    if TYPE_CHECKING:

        @property
        def transcript(self) -> TranscriptView: ...

        def _guard(self, what: str, call: Any) -> None: ...

    @property
    def listen(self) -> Any:
        """The ListenApp (store, settings, clock, ordered writes)."""
        return self.app

    # ---- set up for a clip
    def start_corrections(self, clip: Clip, transcript: Transcript | None) -> None:
        from listen.tui.corrections import CorrectionSession

        self._close_editor()
        self._bounds = None
        self._last_spot = None
        self.corrections = None
        if clip.kind == "audio" and transcript is not None and transcript.segments:
            store = self.listen.store
            self.corrections = CorrectionSession(store, clip.id, transcript, now=self.listen.clock.now)
        self._show_legend()

    def replace_transcript(self, clip: Clip, transcript: Transcript | None) -> None:
        """The clip was transcribed again: show the new lines and correct those from now on."""
        from listen.tui.widgets.transcript import lines_of

        empty = "No transcript yet (t transcribes it)." if clip.kind == "audio" else "No text."
        self.transcript.show_lines(lines_of(clip, transcript, self.threshold), empty=empty)
        self.start_corrections(clip, transcript)

    def shows_corrections_of(self, transcript: Transcript | None) -> bool:
        """Whether ``transcript`` (read again from the store) is this panel's own transcript with
        corrections made here: the same machine transcription (``created_at``). Then the panel
        keeps what it shows (it is as new or newer)."""
        session = self.corrections
        return (
            session is not None
            and transcript is not None
            and transcript.created_at == session.transcript.created_at
            and (transcript.has_corrections or session.version > 0)
        )

    def correcting_allowed(self, action: str) -> bool:
        return self.corrections is not None and bool(self.transcript.lines)

    @property
    def threshold(self) -> float:
        return float(self.listen.settings.transcription.uncertain_below)

    def _lines(self) -> list[Any]:
        from listen.tui.widgets.transcript import lines_of

        if self.clip is None or self.corrections is None:
            return []
        return lines_of(self.clip, self.corrections.transcript, self.threshold)

    def _show_legend(self) -> None:
        legend = self.query_one("#transcript-legend", Static)
        lines = self.transcript.lines
        unsure = any(line.marks for line in lines)
        corrected = any(line.corrected for line in lines)
        if not (unsure or corrected):
            legend.display = False
            return
        parts = []
        if unsure:
            parts.append(f"underlined: the model was unsure (below {self.threshold:.2f}), i plays the next")
        if corrected:
            parts.append("✎ corrected by hand")
        legend.update(" · ".join(parts))
        legend.display = True

    def _segment_under_cursor(self) -> int | None:
        view = self.transcript
        if view.highlighted is None or not 0 <= view.highlighted < len(view.lines):
            return None
        return int(view.lines[view.highlighted].segment)

    # ---- changing and saving
    def _change(
        self,
        what: str,
        change: Callable[[Transcript], Transcript],
        *,
        focus_segment: int | None = None,
        undoable: bool = True,
    ) -> bool:
        from listen.transcribe.corrections import CorrectionError

        session = self.corrections
        if session is None:
            return False
        try:
            changed = session.apply(change, undoable=undoable)
        except CorrectionError as error:
            self.notify(f"Cannot {what}: {error}", severity="warning")
            return False
        if changed:
            self._after_change(focus_segment)
        return changed

    def _after_change(self, focus_segment: int | None = None) -> None:
        lines = self._lines()
        highlight = None
        if focus_segment is not None:
            highlight = next((i for i, line in enumerate(lines) if line.segment == focus_segment), None)
        self.transcript.update_lines(lines, highlight=highlight)
        self._show_legend()
        self._save()

    def _save(self) -> None:
        session = self.corrections
        if session is None or not session.unsaved:
            return
        clip_id = session.clip_id

        def failed(error: BaseException) -> None:
            from listen.transcribe.corrections import ChangedElsewhere

            if isinstance(error, ChangedElsewhere) and self.corrections is session:
                self._reload_after_refusal(session)
            # otherwise the app has shown why; the text stays on screen and is saved with the next change

        self.listen.save(
            f"correct the transcript of {clip_id}", session.flush_now, None, failed, applied=True
        )

    def _reload_after_refusal(self, session: CorrectionSession) -> None:
        """A save was refused (the transcript changed in another window, or was transcribed
        again): show what the store holds now; what was typed here is put in a notice to copy."""
        typed = [
            now.text
            for was, now in zip(session.base.segments, session.transcript.segments, strict=False)
            if now.text != was.text
        ]
        if self.editing is not None and self._draft and self._draft not in typed:
            typed.append(self._draft)
        self._close_editor()
        stored = self.listen.store.transcript(session.clip_id)
        if stored is None or self.clip is None:
            return
        if stored.created_at == session.transcript.created_at:
            session.reload(stored)
            self._after_change()
        else:
            self.replace_transcript(self.clip, stored)
        self.transcript.focus()
        kept = " · ".join(one_line(text) for text in typed)
        self.notify(
            "Changed elsewhere meanwhile: the stored transcript is shown again."
            + (f" What you typed (not saved): {kept}" if kept else ""),
            title="Correction not saved",
            severity="warning",
            timeout=30,
        )

    def flush_corrections(self) -> None:
        """Save what the editor holds and anything unsaved, at once, touching no widget (the
        panel is going away, maybe its children first)."""
        from listen.transcribe.corrections import CorrectionError, edit_text

        session = self.corrections
        if session is None:
            return
        index, text = self.editing, self._draft
        if index is not None and text and text.strip():
            with contextlib.suppress(CorrectionError):
                session.apply(lambda t: edit_text(t, index, text), undoable=False)
        if session.unsaved:
            try:
                session.flush_now()
            except (ListenError, OSError) as error:
                self.app.notify(f"The last correction could not be saved: {error}", severity="error")

    # ---- editing the text while it loops
    def action_edit_segment(self) -> None:
        index = self._segment_under_cursor()
        if index is None or self.corrections is None:
            return
        segment = self.corrections.transcript.segments[index]
        self.editing = index
        self.corrections.mark_undo_point()
        editor = self.query_one("#segment-editor", SegmentEditor)
        editor.value = self._draft = segment.text.strip()
        editor.display = True
        hint = self.query_one("#editor-hint", Static)
        hint.display = True
        self._loop(segment.start, segment.end)
        self._show_hint()
        editor.focus()
        editor.cursor_position = len(editor.value)

    def _show_hint(self) -> None:
        if self.editing is None or self.corrections is None:
            return
        segment = self.corrections.transcript.segments[self.editing]
        looping = "loops" if self._bounds is not None and self._bounds[2] else "plays once"
        self.query_one("#editor-hint", Static).update(
            one_line(
                f"Correcting {position(segment.start)}–{position(segment.end)} ({looping}) · enter done · "
                "^o again · ^l loop · ^b split at the cursor"
            )
        )

    def _loop(self, start: float, end: float, *, loop: bool = True) -> None:
        self._bounds = (start, end, loop)

        def play(player: Any) -> None:
            player.seek(start)
            if not player.playing:
                player.play()

        self._guard("play", play)

    def replay_segment(self) -> None:
        if self.editing is None or self.corrections is None:
            return
        segment = self.corrections.transcript.segments[self.editing]
        loop = self._bounds[2] if self._bounds is not None else True
        self._loop(segment.start, segment.end, loop=loop)

    def toggle_loop(self) -> None:
        if self.editing is None or self._bounds is None:
            self.replay_segment()
            return
        start, end, loop = self._bounds
        self._bounds = (start, end, not loop)
        self._show_hint()

    def keep_in_bounds(self) -> None:
        """From the panel's tick: loop the segment being corrected, or stop after a word played."""
        bounds, player = self._bounds, self.player
        if bounds is None or player is None or not player.playing:
            return
        start, end, loop = bounds
        if player.position >= end:
            if loop:
                player.seek(start)
            else:
                player.pause()
                self._bounds = None

    @on(Input.Changed, "#segment-editor")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.editing is None or not event.input.has_focus:
            return
        self._draft = event.value
        if self._typing is not None:
            self._typing.stop()
        self._typing = self.set_timer(SAVE_AFTER, self._take_typed_text)

    def _take_typed_text(self) -> None:
        """The editor's text becomes the segment's (one undo step per time in the editor)."""
        from listen.transcribe.corrections import edit_text

        if self._typing is not None:
            self._typing.stop()
            self._typing = None
        index = self.editing
        if index is None:
            return
        text = self._live_text()
        if not text.strip():
            return  # an emptied field is not saved (merge a segment away instead)
        self._change(
            "correct the text", lambda t: edit_text(t, index, text), focus_segment=index, undoable=False
        )

    def _live_text(self) -> str:
        """What the editor holds now: its own value (the Changed messages that keep ``_draft``
        may still be queued behind a burst of keys), else the last draft (the editor is gone)."""
        with contextlib.suppress(Exception):
            editor = self.query_one("#segment-editor", SegmentEditor)
            if editor.is_mounted and editor.display:
                self._draft = editor.value
        return self._draft or ""

    @on(Input.Submitted, "#segment-editor")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.finish_editing()

    @on(Input.Blurred, "#segment-editor")
    def _left_editor(self, event: Input.Blurred) -> None:
        if self.editing is not None:
            self._take_typed_text()

    def finish_editing(self) -> None:
        if self.editing is None:
            return
        if not self._live_text().strip():
            self.notify("A segment needs its words: the text before is kept (m merges a segment away).")
        self._take_typed_text()
        self._close_editor()
        self.transcript.focus()

    def _close_editor(self) -> None:
        if self.editing is not None and self.corrections is not None:
            self.corrections.drop_empty_undo_point()
        self.editing = None
        self._draft = None
        if self._bounds is not None and self._bounds[2]:
            self._bounds = None  # stop looping, and the sound: the cursor stays on what was corrected
            player = self.player
            if player is not None and player.playing:
                with contextlib.suppress(ListenError):
                    player.pause()
        with contextlib.suppress(Exception):
            self.query_one("#segment-editor", SegmentEditor).display = False
            self.query_one("#editor-hint", Static).display = False

    def split_at_cursor(self) -> None:
        from listen.transcribe.corrections import split_segment, token_spans

        index = self.editing
        if index is None:
            return
        editor = self.query_one("#segment-editor", SegmentEditor)
        self._take_typed_text()
        text = self.corrections.transcript.segments[index].text if self.corrections else editor.value
        cursor = min(editor.cursor_position, len(text))
        at_word = sum(1 for _start, end in token_spans(text) if end <= cursor)
        self._close_editor()
        self.transcript.focus()
        if self._change("split", lambda t: split_segment(t, index, at_word), focus_segment=index + 1):
            self.notify("Split in two: the second part starts at the cursor's word.")

    # ---- whole segments
    def action_merge_segment(self) -> None:
        from listen.transcribe.corrections import merge_segments

        index = self._segment_under_cursor()
        if index is not None:
            self._change("merge", lambda t: merge_segments(t, index), focus_segment=index)

    def _team(self) -> list[str]:
        names = [member.name for member in self.listen.settings.members]
        if self.clip is not None and self.clip.submitted_by:
            names.append(self.clip.submitted_by)
        return list(dict.fromkeys(name for name in names if name.strip()))

    def action_next_speaker(self) -> None:
        from listen.transcribe.corrections import next_speaker, set_speaker

        index = self._segment_under_cursor()
        if index is None or self.corrections is None:
            return
        current = self.corrections.transcript.segments[index].speaker
        speaker = next_speaker(current, self._team())
        self._change("set the speaker", lambda t: set_speaker(t, index, speaker), focus_segment=index)

    def action_choose_speaker(self) -> None:
        from listen.transcribe.corrections import ROLES, set_speaker
        from listen.tui.screens.modals import ChoiceModal

        index = self._segment_under_cursor()
        if index is None:
            return
        options = [(role, role.capitalize()) for role in ROLES]
        options += [(f"name:{name}", name) for name in self._team()]
        options.append(("none", "(nobody: unknown speaker)"))

        def chosen(key: str | None) -> None:
            if key is None:
                return
            speaker = None if key == "none" else key.removeprefix("name:")
            self._change("set the speaker", lambda t: set_speaker(t, index, speaker), focus_segment=index)

        self.app.push_screen(ChoiceModal("Who speaks in this segment?", options), chosen)

    def action_same_speaker(self) -> None:
        from listen.transcribe.corrections import same_as_before

        index = self._segment_under_cursor()
        if index is not None:
            self._change("set the speaker", lambda t: same_as_before(t, index), focus_segment=index)

    def action_swap_speakers(self) -> None:
        from listen.transcribe.corrections import swap_from

        index = self._segment_under_cursor()
        if index is not None and self._change("swap", lambda t: swap_from(t, index), focus_segment=index):
            self.notify("Speakers swapped from this segment on (u undoes it).")

    def action_undo_correction(self) -> None:
        if self.corrections is None or not self.corrections.undo():
            self.notify("Nothing to undo in this clip.")
            return
        self._after_change()

    def action_redo_correction(self) -> None:
        if self.corrections is None or not self.corrections.redo():
            self.notify("Nothing to redo in this clip.")
            return
        self._after_change()

    # ---- what the model was unsure of
    def action_next_uncertain(self) -> None:
        from listen.transcribe.uncertain import next_spot, uncertain_words

        if self.corrections is None:
            return
        spots = uncertain_words(self.corrections.transcript, self.threshold)
        cursor = self._segment_under_cursor() or 0
        spot = next_spot(spots, cursor, self._last_spot)
        if spot is None:
            self.notify("No word below the threshold here (uncertain_below in listen.toml).")
            return
        self._last_spot = spot.start
        line = self.transcript.line_of_segment(spot.segment)
        if line is not None:
            self.transcript.following = False
            self.transcript.highlighted = line
        self.notify(one_line(f"Unsure: “{spot.word}” at {position(spot.start)} ({spot.probability:.2f})"))
        self._loop(max(0.0, spot.start - LEAD_IN), spot.end + LEAD_IN, loop=False)
