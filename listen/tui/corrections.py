"""One clip's transcript as the team corrects it in the app: the version shown, undo and redo,
and saving. Plain Python (no widgets), owned by the player panel.

Saving always writes the newest version (a save queued earlier that runs later cannot put an
older text back), in the app's ordered writes; ``flush_now`` saves at once on the calling thread
(the panel going away, the app closing): nothing typed is lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from listen.domain import Now, Transcript
from listen.store import Store

UNDO_DEPTH = 200


class CorrectionSession:
    def __init__(self, store: Store, clip_id: str, transcript: Transcript, now: Now | None = None) -> None:
        self.store = store
        self.clip_id = clip_id
        self.transcript = transcript
        self.base = transcript  # what the store held when this editor last loaded or saved
        self.now = now
        self.undo_stack: list[Transcript] = []
        self.redo_stack: list[Transcript] = []
        self.version = 0
        self.saved_version = 0
        self._lock = threading.Lock()

    # ---- changes
    def apply(self, change: Callable[[Transcript], Transcript], *, undoable: bool = True) -> bool:
        """Make a change (a function from corrections.py); False when it changed nothing. Raises
        CorrectionError (nothing changed) when it cannot be made."""
        before = self.transcript
        after = change(before)
        if after == before:
            return False
        if undoable:
            self.undo_stack.append(before)
            del self.undo_stack[:-UNDO_DEPTH]
            self.redo_stack.clear()
        self.transcript = after
        self.version += 1
        return True

    def replace_last(self, change: Callable[[Transcript], Transcript]) -> bool:
        """A change that continues the last one (more typing in the same segment): one undo step."""
        return self.apply(change, undoable=False)

    def mark_undo_point(self) -> None:
        """Typing starts: the version before it is one undo step."""
        self.undo_stack.append(self.transcript)
        del self.undo_stack[:-UNDO_DEPTH]
        self.redo_stack.clear()

    def drop_empty_undo_point(self) -> None:
        """Typing ended without changing anything: forget the undo point it made."""
        if self.undo_stack and self.undo_stack[-1] == self.transcript:
            self.undo_stack.pop()

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.redo_stack.append(self.transcript)
        self.transcript = self.undo_stack.pop()
        self.version += 1
        return True

    def redo(self) -> bool:
        if not self.redo_stack:
            return False
        self.undo_stack.append(self.transcript)
        self.transcript = self.redo_stack.pop()
        self.version += 1
        return True

    # ---- saving
    @property
    def unsaved(self) -> bool:
        return self.version != self.saved_version

    def flush_now(self) -> Transcript | None:
        """Save the newest version if it is not saved yet (any thread); returns what was stored."""
        from listen.transcribe.corrections import save_corrected

        with self._lock:
            version, transcript = self.version, self.transcript
            if version == self.saved_version:
                return None
            stored = save_corrected(self.store, self.clip_id, transcript, base=self.base, now=self.now)
            # this editor's view is the base of its next save: a segment another window changed
            # meanwhile differs from it in the store and is left as the store has it
            self.base = transcript
            self.saved_version = version
            return stored

    def reload(self, transcript: Transcript) -> None:
        """Start again from what the store holds (a save was refused: changed elsewhere)."""
        with self._lock:
            self.transcript = self.base = transcript
            self.undo_stack.clear()
            self.redo_stack.clear()
            self.version += 1
            self.saved_version = self.version
