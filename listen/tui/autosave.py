"""Text typed into a form is saved as it changes, not only on Enter: SAVE_AFTER seconds after the
last change, and at once when the field or the form is left (Tab, Esc, a click, a screen switch),
or the app quits (what was typed last is kept as it is typed, so a form whose fields are already
gone when it unmounts still saves it; the app writes what is queued before it ends).
Every form that keeps a session's text (story answers, gap fields) uses this one rule; a dialog
whose text Esc keeps (a note, an idea, a quote) is a ``KeptDialog``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.await_complete import AwaitComplete
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget

SAVE_AFTER = 0.5  # seconds of no typing before what was typed is saved

T = TypeVar("T")


class Autosave(Generic[T]):
    """``read`` gives what the form holds now (None: nothing fit to save, e.g. a gap with no
    title yet); ``write`` saves it. A value equal to the one last saved (or known to be stored,
    see ``stored``) is not written again. Nothing is written before ``stored`` is called: until
    the form shows what was stored, its empty fields mean nothing."""

    def __init__(
        self,
        owner: Widget,
        read: Callable[[], T | None],
        write: Callable[[T], None],
        *,
        delay: float = SAVE_AFTER,
    ) -> None:
        self._owner = owner
        self._read = read
        self._write = write
        self._delay = delay
        self._timer: Timer | None = None
        self._saved: T | None = None
        self._typed: T | None = None  # what the form held at the last change
        self._ready = False

    def stored(self, value: T | None) -> None:
        """The form now shows ``value``, as it is stored: saving may begin."""
        self._saved = value
        self._ready = True

    def changed(self) -> None:
        """Something was typed: save once the typing pauses."""
        self._typed = self._read()
        self._stop()
        self._timer = self._owner.set_timer(self._delay, self.flush)

    def flush(self) -> None:
        """Save now if the form holds something new (a field left, the form closed)."""
        self._stop()
        if not self._ready:
            return
        try:
            value = self._read()
        except NoMatches:  # the form is being taken down (the app quits): what was typed last
            value = self._typed
        if value is None or value == self._saved:
            return
        self._saved = value
        self._write(value)

    def done(self) -> None:
        """What the form holds is taken care of another way (a draft that became a gap): nothing
        more is saved, not even when the form closes."""
        self._stop()
        self._ready = False

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


class KeptDialog(ModalScreen[T]):
    """A dialog whose typed text Esc keeps (it is dismissed with the text and the caller saves it)
    keeps it the same way when the app ends with the dialog open (ctrl+q, the terminal closed).
    ``keep`` is told, as the text changes, what Esc would keep (its fields may be gone when the
    dialog unmounts); dismiss callbacks do not run while the app shuts down, so the caller's
    callback is called here, as the dialog is taken down, and the app writes what it queues."""

    _to_keep: T | None = None
    _dismissed = False

    def keep(self, value: T | None) -> None:
        """What Esc would keep now (None: nothing, e.g. the text as it opened, or emptied)."""
        self._to_keep = value

    def dismiss(self, result: T | None = None) -> AwaitComplete:
        self._dismissed = True
        return super().dismiss(result)

    def on_unmount(self) -> None:
        if self._dismissed or self._to_keep is None:
            return
        self._dismissed = True
        # push_screen's callback, not called yet (Textual clears it once called)
        pending = self._result_callbacks[-1].callback if self._result_callbacks else None
        if pending is not None:
            pending(self._to_keep)
