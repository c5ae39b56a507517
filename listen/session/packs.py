"""Prompt packs: the agenda of a session, read from a small Markdown-like text file.

A pack is ``<name>.md`` in the workspace's ``prompts/`` folder (which wins) or in the packs shipped
with listen (``listen/prompts/``). The format is described in ``prompts/README.md``; in short::

    # Weekly listening session            <- the pack's title (first line)
    One paragraph saying what the pack is for.

    ## Set the stage                       <- a step; its fields follow the heading directly
    id: stage
    kind: stage
    timebox: 5 min
    optional: no

    Text shown to the room (Markdown).    <- after the first blank line: the step's intro

    ? A question for the room             <- one question per line, starting with "? "

A malformed pack raises ``PackError`` naming the file, the line and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from listen.errors import NotFoundError
from listen.session.errors import PackError
from listen.workspace import Workspace

StepKind = Literal["stage", "follow_up", "listen", "ideas", "decide", "commit", "story", "close"]
STEP_KINDS: tuple[str, ...] = get_args(StepKind)

PACK_SUFFIX = ".md"
DEFAULT_PACK = "weekly"
FIELDS = ("id", "kind", "timebox", "optional")
MAX_TIMEBOX_MINUTES = 240.0
MAX_PACK_BYTES = 256 * 1024
SINGLE_KINDS = ("listen",)  # kinds a pack may hold at most once

PACK_NAME_RULE = "a name like 'weekly': letters, digits, '-' and '_', at most 64, no path"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_STEP_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_ -]*?)\s*:\s*(.*)$")
_TIMEBOX = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:m|min|mins|minute|minutes)?(?:\s+per\s+clip)?$", re.I)
_Fail = Callable[[int, str], PackError]
_TRUE = ("yes", "true", "on", "1")
_FALSE = ("no", "false", "off", "0")


@dataclass(frozen=True)
class Step:
    """One step of the agenda. For ``kind == "listen"`` the timebox is per clip."""

    id: str
    kind: StepKind
    title: str
    timebox_minutes: float = 0.0  # 0: no timebox
    optional: bool = False
    intro: str = ""
    questions: tuple[str, ...] = ()
    line: int = 0  # where the step's heading is in its file

    @property
    def timebox_seconds(self) -> float:
        return self.timebox_minutes * 60.0

    @property
    def per_clip(self) -> bool:
        return self.kind == "listen"


@dataclass(frozen=True)
class PromptPack:
    name: str
    title: str
    description: str = ""
    steps: tuple[Step, ...] = ()
    path: Path | None = None  # the file it was read from

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise NotFoundError(f"{step_id}: no such step in the pack '{self.name}'")

    def steps_of(self, kind: str) -> list[Step]:
        return [step for step in self.steps if step.kind == kind]

    def planned_minutes(self, clip_count: int = 0) -> float:
        """The sum of the timeboxes, the listen step counted once per clip (at least once)."""
        return sum(s.timebox_minutes * (max(1, clip_count) if s.per_clip else 1) for s in self.steps)


# --------------------------------------------------------------------------- finding packs


def packaged_dir() -> Path:
    """The packs shipped inside the installed package (``listen/prompts``)."""
    return Path(__file__).parent.parent / "prompts"


def _search_dirs(workspace: Workspace | None) -> list[Path]:
    dirs = [] if workspace is None else [workspace.prompts_dir]
    dirs.append(packaged_dir())
    return dirs


def pack_sources(workspace: Workspace | None = None) -> dict[str, Path]:
    """Every pack name and the file that provides it (the workspace's copy wins)."""
    found: dict[str, Path] = {}
    for folder in _search_dirs(workspace):
        try:
            files = sorted(folder.iterdir())
        except (FileNotFoundError, NotADirectoryError):
            continue
        for path in files:
            if path.suffix == PACK_SUFFIX and path.name.lower() != "readme.md" and path.is_file():
                found.setdefault(path.stem, path)
    return dict(sorted(found.items()))


def available_packs(workspace: Workspace | None = None) -> list[str]:
    """The names of the packs a session can use, sorted."""
    return list(pack_sources(workspace))


def is_pack_name(text: str) -> bool:
    """Whether ``text`` can name a pack: a plain name, never a path (``../x``, ``/etc/y``, ``~/z``)."""
    return bool(_NAME.fullmatch(text))


def find_pack(name: str, workspace: Workspace | None = None) -> Path:
    """The file for a pack name (``weekly``): the workspace's ``prompts/`` first, then the shipped
    packs. Anything that is not a plain name is refused (listen.toml and the database hold names)."""
    if not is_pack_name(name):
        shown = repr(name[:80]) if name else "(empty)"
        raise NotFoundError(f"{shown}: not a prompt pack name ({PACK_NAME_RULE})")
    for folder in _search_dirs(workspace):
        path = folder / f"{name}{PACK_SUFFIX}"
        if path.is_file():
            return path
    known = ", ".join(available_packs(workspace)) or "none"
    raise NotFoundError(f"{name}: no such prompt pack (available: {known})")


def load_pack(name: str = DEFAULT_PACK, workspace: Workspace | None = None) -> PromptPack:
    """Read and check a pack by name (workspace ``prompts/`` first, then the shipped ones)."""
    return load_pack_file(find_pack(name, workspace))


def load_pack_file(path: Path) -> PromptPack:
    """Read and check the pack in one file (for tools and tests that hold a path)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PACK_BYTES + 1)  # a pack is a page of text: never read a huge file
    except OSError as error:
        raise PackError(path, 1, f"cannot be read ({error.strerror})") from None
    if len(data) > MAX_PACK_BYTES:
        raise PackError(path, 1, f"larger than {MAX_PACK_BYTES // 1024} KB: not a prompt pack")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PackError(path, line, "not UTF-8 text; save the pack as UTF-8") from None
    return parse_pack(text, name=path.stem, path=path)


# --------------------------------------------------------------------------- parsing


@dataclass
class _StepDraft:
    title: str
    line: int
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    in_fields: bool = True


def parse_pack(text: str, *, name: str, path: Path | str | None = None) -> PromptPack:
    """Parse the text of a pack. ``path`` only names the file in errors."""
    where = path if path is not None else f"{name}{PACK_SUFFIX}"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def fail(line: int, problem: str) -> PackError:
        return PackError(where, line, problem)

    title: str | None = None
    description: list[str] = []
    drafts: list[_StepDraft] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if title is None:
            if not stripped:
                continue
            if not stripped.startswith("# ") or not stripped[2:].strip():
                raise fail(number, "a pack starts with its title: a line '# Title'")
            title = stripped[2:].strip()
            continue
        if stripped.startswith("# ") or stripped == "#":
            raise fail(number, "a pack has one '# title'; steps start with '## '")
        if stripped.startswith("## ") or stripped == "##":
            step_title = stripped[3:].strip()
            if not step_title:
                raise fail(number, "a step heading needs a title after '## '")
            drafts.append(_StepDraft(step_title, number))
            continue
        if not drafts:
            if stripped.startswith("?"):
                raise fail(number, "a question must be inside a step (after a '## ' heading)")
            description.append(line)
            continue
        draft = drafts[-1]
        if draft.in_fields:
            if not stripped:
                draft.in_fields = False
                continue
            match = _FIELD.match(stripped)
            if match and not stripped.startswith("?"):
                key = match.group(1).strip().lower()
                if key not in FIELDS:
                    raise fail(
                        number,
                        f"unknown field '{match.group(1).strip()}' (known: {', '.join(FIELDS)}; "
                        "leave a blank line before the step's text)",
                    )
                if key in draft.fields:
                    raise fail(number, f"'{key}' is given twice in this step")
                draft.fields[key] = (match.group(2).strip(), number)
                continue
            draft.in_fields = False
        if stripped.startswith("?"):
            question = stripped[1:].strip()
            if not question:
                raise fail(number, "an empty question: write it after '? '")
            draft.questions.append(question)
        else:
            draft.text.append(line)
    if title is None:
        raise fail(1, "the pack is empty; it starts with a line '# Title'")
    if not drafts:
        raise fail(len(lines), "the pack has no steps (each step starts with '## Title')")
    steps = tuple(_build_step(draft, fail) for draft in drafts)
    _check_steps(steps, fail)
    return PromptPack(
        name=name,
        title=title,
        description=_paragraphs(description),
        steps=steps,
        path=Path(path) if path is not None else None,
    )


def _build_step(draft: _StepDraft, fail: _Fail) -> Step:
    fields = draft.fields
    if "kind" not in fields:
        kinds = ", ".join(STEP_KINDS)
        raise fail(draft.line, f"the step '{draft.title}' needs a 'kind:' line (one of {kinds})")
    kind, kind_line = fields["kind"]
    kind = kind.lower().replace("-", "_")
    if kind not in STEP_KINDS:
        raise fail(kind_line, f"unknown kind '{fields['kind'][0]}' (choose from {', '.join(STEP_KINDS)})")
    step_id, id_line = fields.get("id", (kind, draft.line))
    if not _STEP_ID.match(step_id):
        raise fail(id_line, f"bad id '{step_id}': use lower-case letters, digits, '-' or '_'")
    timebox = 0.0
    if "timebox" in fields:
        value, line = fields["timebox"]
        match = _TIMEBOX.match(value)
        if not match:
            raise fail(line, f"bad timebox '{value}': write minutes, e.g. 'timebox: 5 min'")
        timebox = float(match.group(1))
        if timebox > MAX_TIMEBOX_MINUTES:
            raise fail(line, f"timebox {value} is longer than {MAX_TIMEBOX_MINUTES:.0f} minutes")
        if "per clip" in value.lower() and kind != "listen":
            raise fail(line, "'per clip' only makes sense for a listen step")
    optional = False
    if "optional" in fields:
        value, line = fields["optional"]
        if value.lower() in _TRUE:
            optional = True
        elif value.lower() not in _FALSE:
            raise fail(line, f"bad optional '{value}': write yes or no")
    return Step(
        id=step_id,
        kind=kind,  # type: ignore[arg-type]
        title=draft.title,
        timebox_minutes=timebox,
        optional=optional,
        intro=_paragraphs(draft.text),
        questions=tuple(draft.questions),
        line=draft.line,
    )


def _check_steps(steps: tuple[Step, ...], fail: _Fail) -> None:
    seen: dict[str, Step] = {}
    for step in steps:
        if step.id in seen:
            raise fail(
                step.line,
                f"step id '{step.id}' is used twice (first at line {seen[step.id].line}); "
                "give one of them an 'id:'",
            )
        seen[step.id] = step
    for kind in SINGLE_KINDS:
        same = [step for step in steps if step.kind == kind]
        if len(same) > 1:
            raise fail(same[1].line, f"a pack has at most one '{kind}' step (it repeats per clip)")


def _paragraphs(lines: list[str]) -> str:
    """Join text lines, trimming blank lines at both ends and runs of blank lines inside."""
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip()
