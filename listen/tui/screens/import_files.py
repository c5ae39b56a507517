"""Import: choose files (browse a folder tree or type a path), then say what the rep saw."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text, TextType
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static

from listen.domain import CHANNELS, RepView
from listen.tui.safe import one_line, plain, safe
from listen.tui.viewmodels import one_person_placeholder
from listen.tui.widgets.choice import ChoiceRow
from listen.tui.widgets.person_input import PersonInput


def importable_suffixes() -> frozenset[str]:
    from listen.audio.decode import AUDIO_EXTENSIONS  # numpy comes with it: only when importing
    from listen.ingest.text import TEXT_EXTENSIONS

    return frozenset(AUDIO_EXTENSIONS) | frozenset(TEXT_EXTENSIONS)


class ClipFileTree(DirectoryTree):
    """Folders, and only the files listen can import; hidden entries left out."""

    def __init__(self, path: Path, suffixes: frozenset[str], **kwargs: object) -> None:
        super().__init__(path, **kwargs)  # type: ignore[arg-type]
        self.suffixes = suffixes

    def process_label(self, label: TextType) -> Text:
        """A file name is anything the disk allows (ESC, newlines, markup): plain, one line."""
        return plain(label) if isinstance(label, str) else safe(label, keep_newlines=False)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or path.suffix.lower() in self.suffixes:
                    yield path
            except OSError:
                continue


class FilePicker(ModalScreen[list[Path] | None]):
    """Pick one or more files. Enter on a file adds it (again: removes it); a typed path works too."""

    CSS_PATH = "import_files.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("ctrl+s", "done", "Import chosen", id="picker-done"),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start
        self.chosen: list[Path] = []

    def compose(self) -> ComposeResult:
        suffixes = importable_suffixes()
        with Vertical(classes="picker") as box:
            box.border_title = "Import clips"
            box.border_subtitle = "enter adds a file · ctrl+s imports · esc cancels"
            yield Input(
                placeholder="type a path to a file or folder, then enter",
                id="path",
                select_on_focus=False,  # typing in the tree lands here: keep what was typed
            )
            yield ClipFileTree(self.start, suffixes, id="tree")
            yield Static("", id="chosen")
            with Horizontal(classes="buttons"):
                yield Button("Import (ctrl+s)", variant="primary", id="import")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._show_chosen()
        self.query_one("#tree").focus()

    def on_key(self, event: events.Key) -> None:
        """Typing while the folder tree has the keyboard starts a path: the keys go to the path
        field (the tree has no use for letters, and the field says "type a path")."""
        typed = event.character
        if self.focused is self.query_one("#tree") and typed and typed.isprintable() and typed != " ":
            field = self.query_one("#path", Input)
            field.focus()
            field.insert_text_at_cursor(typed)
            event.stop()
            event.prevent_default()

    def _toggle(self, path: Path) -> None:
        path = path.resolve()
        if path in self.chosen:
            self.chosen.remove(path)
        else:
            self.chosen.append(path)
        self._show_chosen()

    def _show_chosen(self) -> None:
        text = Text()
        if not self.chosen:
            text.append("No file chosen yet.", style="dim")
        else:
            text.append(f"{len(self.chosen)} chosen: ", style="bold")
            text.append(one_line(", ".join(p.name for p in self.chosen)))
        self.query_one("#chosen", Static).update(text)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self._toggle(event.path)

    @on(Input.Submitted, "#path")
    def _typed(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if not raw:
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.start / path
        if path.is_dir():
            self.query_one("#tree", ClipFileTree).path = path
            event.input.value = ""
        elif path.exists():
            self._toggle(path)
            event.input.value = ""
        else:
            self.notify(f"{path}: no such file or folder", severity="warning")

    @on(Button.Pressed, "#import")
    def action_done(self) -> None:
        if not self.chosen:
            self.notify("Choose at least one file (enter on a file).", severity="warning")
            return
        self.dismiss(list(self.chosen))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class SubmitForm:
    """Who submits, and the rep's own view of the interaction."""

    submitted_by: str
    channel: str | None  # None: as detected (email/chat for text, phone for audio)
    title: str | None
    rep_view: RepView


HELPED_CHOICES = (("", "not said"), ("yes", "yes"), ("partly", "partly"), ("no", "no"))
FIELDS = (
    ("by", "Submitted by"),
    ("title", "Title"),
    ("needed", "Customer needed"),
    ("hard", "What made it hard"),
    ("workaround", "Workaround used"),
    ("note", "Note"),
)


class RepViewForm(ModalScreen[SubmitForm | None]):
    """The rep's view of a clip being submitted (what the customer needed, what made it hard…)."""

    CSS_PATH = "import_files.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Submit", id="form-save"),
    ]

    def __init__(self, files: Sequence[str], *, submitted_by: str = "", members: Sequence[str] = ()) -> None:
        super().__init__()
        self.files = list(files)
        self.submitted_by = submitted_by
        self.members = list(members)

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as box:
            box.border_title = "The rep's view"
            box.border_subtitle = "ctrl+s submits · esc cancels"
            shown = ", ".join(self.files[:3]) + (
                f" and {len(self.files) - 3} more" if len(self.files) > 3 else ""
            )
            yield Static(plain(shown), classes="files", markup=False)
            for key, label in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label)
                    placeholder = "(from the file)" if key == "title" else ""
                    if key == "by" and self.members:
                        placeholder = one_person_placeholder(self.members, "who submits it")
                    if key == "by":
                        yield PersonInput(
                            one_line(self.submitted_by),
                            people=self.members,
                            placeholder=one_line(placeholder),
                            id="f-by",
                            compact=True,
                        )
                    else:
                        yield Input(placeholder=one_line(placeholder), id=f"f-{key}", compact=True)
            channels = [("", "auto"), *[(c, c) for c in CHANNELS]]
            yield ChoiceRow(channels, "", label="Channel", id="f-channel")
            yield ChoiceRow(HELPED_CHOICES, "", label="Customer helped", id="f-helped")
            yield Static("", id="problem")

    _confirmed_new = ""  # a name no one on the team has, already asked about

    def on_mount(self) -> None:
        first = "#f-title" if self.submitted_by else "#f-by"
        self.query_one(first, Input).focus()

    def _field_value(self, key: str) -> str:
        return self.query_one(f"#f-{key}", Input).value.strip()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_save(self) -> None:
        by_field = self.query_one("#f-by", PersonInput)
        by = " ".join(by_field.accept_completion().split())  # never a fragment of a name
        if not by:
            self.query_one("#problem", Static).update("Who submits this? (a name is required)")
            by_field.focus()
            return
        if self.members and by_field.known is None and by != self._confirmed_new:
            self._confirmed_new = by  # asked once: ctrl+s again submits under this new name
            self.query_one("#problem", Static).update(
                f"No one on the team is called “{by}”: ctrl+s again submits as {by}, or fix the name."
            )
            by_field.focus()
            return
        if by_field.known is not None:
            by = by_field.known
        helped = self.query_one("#f-helped", ChoiceRow).value or None
        view = RepView(
            note=self._field_value("note"),
            needed=self._field_value("needed"),
            hard=self._field_value("hard"),
            workaround=self._field_value("workaround"),
            helped=helped,  # type: ignore[arg-type]
        )
        self.dismiss(
            SubmitForm(
                submitted_by=by,
                channel=self.query_one("#f-channel", ChoiceRow).value or None,
                title=self._field_value("title") or None,
                rep_view=view,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
