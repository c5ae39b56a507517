"""The domain: clips, gaps, fix ideas, actions, sessions. Plain data, no storage, no UI.

Every object maps to and from a JSON-compatible document with ``to_doc()`` / ``from_doc()``.
Documents are what the store writes; the mapping is the only place that knows their shape.
Unknown keys in a document are ignored on read, so older code can open newer-but-compatible data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

Channel = Literal["phone", "in-person", "email", "chat", "web"]
CHANNELS: tuple[str, ...] = get_args(Channel)

ClipKind = Literal["audio", "text"]
ClipStatus = Literal["queued", "transcribing", "transcribed", "failed"]
CLIP_STATUSES: tuple[str, ...] = get_args(ClipStatus)

Helped = Literal["yes", "no", "partly"]
HELPED: tuple[str, ...] = get_args(Helped)

GapStatus = Literal["open", "fixing", "fixed", "wont-fix"]
GAP_STATUSES: tuple[str, ...] = get_args(GapStatus)

PolicyVerdict = Literal["eliminate", "rephrase", "initiate"]
POLICY_VERDICTS: tuple[str, ...] = get_args(PolicyVerdict)

ActionStatus = Literal["open", "done", "dropped"]
ACTION_STATUSES: tuple[str, ...] = get_args(ActionStatus)

FollowUpOutcome = Literal["done", "carried", "dropped"]
FOLLOW_UP_OUTCOMES: tuple[str, ...] = get_args(FollowUpOutcome)

SessionStatus = Literal["open", "closed"]

DEFAULT_GAP_CATEGORIES: tuple[str, ...] = ("Policy", "Procedure", "Tool", "Product", "Knowledge")


Now = Callable[[], dt.datetime]  # a clock: the app's Clock.now, a test's fixed time, the demo's meeting


def wall_clock() -> dt.datetime:
    """The current local time, with its offset."""
    return dt.datetime.now().astimezone()


def stamp(now: Now | None = None) -> str:
    """The time of ``now`` (default: the wall clock) as an ISO 8601 string, to the millisecond."""
    return (now or wall_clock)().isoformat(timespec="milliseconds")


def now_iso() -> str:
    """The current local time as an ISO 8601 string with offset, to the millisecond (orders clips)."""
    return stamp()


def today_iso() -> str:
    return dt.date.today().isoformat()


T = TypeVar("T", bound="Document")

# Field metadata that narrows what a stored value may be beyond its type (checked by from_doc).
ISO_DATE: dict[str, Any] = {"format": "date"}  # "2026-11-23"
TIMESTAMP: dict[str, Any] = {"format": "timestamp"}  # "2026-11-23T10:15:00.000+00:00"
SCORE: dict[str, Any] = {"range": (1, 3)}  # severity, impact, effort


class DocumentError(ValueError):
    """A stored document that does not have the shape of its kind.

    ``where`` is the path of the bad field ("segments[2].start"), ``reason`` what is wrong with it.
    """

    def __init__(self, reason: str, where: str = "") -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{where}: {reason}" if where else reason)

    def inside(self, name: str) -> DocumentError:
        """The same error seen from the document that holds this one in its field ``name``."""
        if not self.where:
            return DocumentError(self.reason, name)
        joint = "" if self.where.startswith("[") else "."
        return DocumentError(self.reason, f"{name}{joint}{self.where}")


class Document:
    """Mixin: dataclass <-> JSON document, recursing into nested documents and lists of them.

    ``from_doc`` is the one place that checks a stored document: every field's JSON type, the
    allowed words of Literal fields, dates and timestamps, score ranges. A document of the wrong
    shape raises DocumentError naming the field, never a TypeError deep in a caller.
    """

    NESTED: ClassVar[dict[str, type[Document]]] = {}
    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {}

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.name in self.NESTED:
                doc[f.name] = value.to_doc() if value is not None else None
            elif f.name in self.NESTED_LISTS:
                doc[f.name] = [item.to_doc() for item in value]
            elif isinstance(value, (list, tuple)):
                doc[f.name] = list(value)
            elif isinstance(value, dict):
                doc[f.name] = dict(value)
            else:
                doc[f.name] = value
        return doc

    @classmethod
    def from_doc(cls: type[T], doc: Any) -> T:
        if not isinstance(doc, dict):
            raise DocumentError(f"expected an object, got {describe(doc)}")
        plan = _FIELD_PLANS.get(cls)
        if plan is None:
            plan = _field_plan(cls)  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for name, check, required in plan:
            if name in doc:
                try:
                    kwargs[name] = check(doc[name])  # a checked copy: never shares the caller's containers
                except DocumentError as error:
                    raise error.inside(name) from None
            elif required:
                raise DocumentError("missing", name)
        return cls(**kwargs)


Check = Callable[[Any], Any]
_FIELD_PLANS: dict[type, tuple[tuple[str, Check, bool], ...]] = {}


def _field_plan(cls: type[Document]) -> tuple[tuple[str, Check, bool], ...]:
    """Each field's name, checker and whether it is required (built once per class from its hints)."""
    plan = _FIELD_PLANS.get(cls)
    if plan is None:
        hints = get_type_hints(cls)
        plan = tuple(
            (
                f.name,
                checker(hints[f.name], f.metadata),
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            )
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        )
        _FIELD_PLANS[cls] = plan
    return plan


def describe(value: Any) -> str:
    """A stored value's JSON type in words, with a short, escaped view of a scalar (error messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {_short(repr(value))}"
    if isinstance(value, str):
        return f"the text {_short(repr(value))}"  # repr escapes control and bidi characters
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def checker(hint: Any, meta: Mapping[str, Any] | None = None) -> Check:
    """A function that returns a checked (and copied) stored value of type ``hint`` or raises
    DocumentError. ``meta`` narrows it (ISO_DATE, TIMESTAMP, SCORE, {"range": (low, high)}).
    Scalars (and optional scalars) are checked by one call each: every document read from the
    store goes through these (tens of thousands of values for a long history)."""
    return _checker(hint, meta or {}, optional=False)


def _checker(hint: Any, meta: Mapping[str, Any], *, optional: bool) -> Check:
    if hint is Any:  # free-form JSON (a frozen minutes record): its documents are checked when built
        return lambda value: value
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(options) != 1:
            raise TypeError(f"no checker for {hint}")
        return _checker(options[0], meta, optional=True)
    if hint is str:
        return _text_checker(meta.get("format"), optional)
    if hint is bool:
        return _exact_checker(bool, "true or false", optional)
    if hint is int:
        return _number_checker((int,), "a whole number", meta.get("range"), optional)
    if hint is float:
        return _number_checker((int, float), "a number", meta.get("range"), optional)
    inner = _container_checker(hint, origin)
    return (lambda value: None if value is None else inner(value)) if optional else inner


def _container_checker(hint: Any, origin: Any) -> Check:
    if origin is Literal:
        allowed = frozenset(get_args(hint))
        words = ", ".join(get_args(hint))

        def literal(value: Any) -> Any:
            if type(value) is str and value in allowed:
                return value
            raise DocumentError(f"expected one of {words}, got {describe(value)}")

        return literal
    if origin is list:
        return _list_checker(checker(get_args(hint)[0], {}))
    if origin is dict:
        return _dict_checker(checker(get_args(hint)[1], {}))
    if isinstance(hint, type) and issubclass(hint, Document):
        return hint.from_doc
    raise TypeError(f"no checker for {hint}")


def _exact_checker(kind: type, expected: str, optional: bool) -> Check:
    def check(value: Any) -> Any:
        if type(value) is kind or (optional and value is None):
            return value
        raise DocumentError(f"expected {expected}, got {describe(value)}")

    return check


def _text_checker(fmt: str | None, optional: bool = False) -> Check:
    if fmt is None:
        return _exact_checker(str, "text", optional)
    timestamp = fmt != "date"
    expected = "a time like 2026-11-23T10:15:00+00:00" if timestamp else "a date like 2026-11-23"

    def check(value: Any) -> Any:
        if type(value) is str:
            try:
                if timestamp:
                    dt.datetime.fromisoformat(value)
                    dt.date.fromisoformat(value[:10])  # readers take the day as the first ten characters
                else:
                    dt.date.fromisoformat(value)
                return value
            except ValueError:
                pass
        elif optional and value is None:
            return value
        raise DocumentError(f"expected {expected}, got {describe(value)}")

    return check


def _number_checker(
    kinds: tuple[type, ...], expected: str, bounds: tuple[float, float] | None, optional: bool = False
) -> Check:
    low, high = bounds or (-math.inf, math.inf)
    if bounds:
        expected += f" from {low} to {high}"

    def check(value: Any) -> Any:
        # bool is an int to Python but not a number in JSON; NaN and infinities are not numbers here
        if type(value) in kinds and low <= value <= high and math.isfinite(value):
            return value
        if optional and value is None:
            return value
        raise DocumentError(f"expected {expected}, got {describe(value)}")

    return check


def _list_checker(item: Check) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not list:
            raise DocumentError(f"expected a list, got {describe(value)}")
        checked = []
        for index, element in enumerate(value):
            try:
                checked.append(item(element))
            except DocumentError as error:
                raise error.inside(f"[{index}]") from None
        return checked

    return check


def _dict_checker(item: Check) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not dict:
            raise DocumentError(f"expected an object, got {describe(value)}")
        checked = {}
        for key, element in value.items():
            try:
                checked[key] = item(element)  # JSON object keys are always text
            except DocumentError as error:
                raise error.inside(f"[{key!r}]") from None
        return checked

    return check


# --------------------------------------------------------------------------- clips


@dataclass
class Word(Document):
    """One recognised word with its timing and the model's confidence."""

    start: float
    end: float
    word: str
    probability: float | None = None


SPEAKER_ROLES = ("agent", "customer")


@dataclass
class Segment(Document):
    """A stretch of speech (or a paragraph of a text clip) with its start and end in seconds."""

    start: float
    end: float
    text: str
    speaker: str | None = None  # "agent" / "customer" for stereo calls, or a label a user gave
    words: list[Word] = field(default_factory=list)
    # what the machine heard in this stretch, once a person corrected it (edited, split, merged);
    # None: ``text`` is still the machine's own (see listen/transcribe/corrections.py)
    original_text: str | None = None
    sender: str | None = None  # a text clip's message: the sender's name as the thread gives it
    at: str | None = None  # a text clip's message: its time as the chat gives it ("10:02")

    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"words": Word}

    @property
    def corrected(self) -> bool:
        return self.original_text is not None


def speaker_label(speaker: str | None, sender: str | None = None) -> str:
    """Who said it, as a line shows it: "Customer", "Agent (Sam)", or the name alone. ``speaker``
    is a role ("agent", "customer") or a name; ``sender`` a text clip's sender's name."""
    if not speaker and not sender:
        return ""
    role = (speaker or "").casefold()
    if role in SPEAKER_ROLES:
        word = role.capitalize()
        named = sender and " ".join(sender.casefold().split()) != role
        return f"{word} ({sender})" if named else word
    return speaker or sender or ""


@dataclass
class Transcript(Document):
    """What was said in a clip. A text clip's segments are its messages (listen.ingest.thread),
    in order, start and end 0."""

    text: str = ""
    segments: list[Segment] = field(default_factory=list)
    language: str | None = None
    engine: str | None = None
    model: str | None = None
    created_at: str | None = field(default=None, metadata=TIMESTAMP)
    # when a person last corrected it (text, split, merge, speaker); None: the machine's as it was
    corrected_at: str | None = field(default=None, metadata=TIMESTAMP)

    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"segments": Segment}

    @property
    def has_corrections(self) -> bool:
        return self.corrected_at is not None


@dataclass
class RepView(Document):
    """The submitting rep's own view of the interaction."""

    note: str = ""  # free note
    needed: str = ""  # what the customer needed
    hard: str = ""  # what made it hard
    workaround: str = ""  # what the rep did to get round it
    helped: Helped | None = None  # was the customer helped


@dataclass
class AudioFacts(Document):
    """What the decoder found in an audio clip's original file."""

    sample_rate: int
    channels: int
    codec: str
    container: str = ""


@dataclass
class Clip(Document):
    """One submitted interaction: a call recording, an e-mail or a chat thread."""

    id: str
    sha256: str  # of the original bytes; identical media is one clip
    kind: ClipKind
    title: str
    source: str  # the original file name as submitted
    media: str  # path of the original bytes, relative to the workspace
    byte_size: int
    channel: Channel
    submitted_by: str
    submitted_at: str = field(default_factory=now_iso, metadata=TIMESTAMP)
    status: ClipStatus = "queued"
    failure: str | None = None  # reason when status == "failed"
    duration: float | None = None  # seconds; None for text clips
    audio: AudioFacts | None = None
    rep_view: RepView = field(default_factory=RepView)
    has_transcript: bool = False  # the transcript lives in clips/<id>/transcript.json
    transcribed_at: str | None = field(default=None, metadata=TIMESTAMP)
    notices: list[str] = field(default_factory=list)  # e.g. "silence only", "dropped 0.4 s of garbage"

    NESTED: ClassVar[dict[str, type[Document]]] = {"audio": AudioFacts, "rep_view": RepView}


# --------------------------------------------------------------------------- gaps


@dataclass
class GapLink(Document):
    """Where a gap showed up: a clip, in a session, at a moment (timestamp and/or quote)."""

    clip_id: str | None
    session_id: str | None
    at: float | None = None  # seconds into the clip
    quote: str | None = None
    linked_at: str = field(default_factory=now_iso, metadata=TIMESTAMP)

    @property
    def key(self) -> tuple[str | None, str | None, float | None, str | None]:
        """What makes two links the same: clip, session, moment and quote (not when it was made)."""
        return (self.clip_id, self.session_id, self.at, self.quote)


@dataclass
class Gap(Document):
    """A shortcoming of the system (never of a person)."""

    id: str
    category: str
    title: str
    description: str = ""
    severity: int = field(default=2, metadata=SCORE)  # 1 (minor) .. 3 (severe)
    status: GapStatus = "open"
    verdict: PolicyVerdict | None = None  # policy gaps only
    created_at: str = field(default_factory=now_iso, metadata=TIMESTAMP)
    created_by: str | None = None
    links: list[GapLink] = field(default_factory=list)
    merged_into: str | None = None  # id of the gap this one was merged into
    # what the merge changed, so it can be undone (service.unmerge_gap); empty when not merged
    merge_undo: dict[str, Any] = field(default_factory=dict)

    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"links": GapLink}

    @property
    def times_seen(self) -> int:
        return len(self.links)

    @property
    def session_ids(self) -> list[str]:
        seen: list[str] = []
        for link in self.links:
            if link.session_id and link.session_id not in seen:
                seen.append(link.session_id)
        return seen

    @property
    def clip_ids(self) -> list[str]:
        seen: list[str] = []
        for link in self.links:
            if link.clip_id and link.clip_id not in seen:
                seen.append(link.clip_id)
        return seen


def merged_target(gap: Gap, lookup: Callable[[str], Gap | None]) -> Gap | None:
    """The gap ``gap`` finally resolves to: itself, or the end of its ``merged_into`` chain
    (``lookup`` finds a gap by id). None when the chain leads to a gap that is missing, or in a
    circle (merge refuses both; old or hand-edited data may still hold them)."""
    seen = {gap.id}
    while gap.merged_into is not None:
        found = lookup(gap.merged_into)
        if found is None or found.id in seen:
            return None
        gap = found
        seen.add(gap.id)
    return gap


# --------------------------------------------------------------------------- ideas & actions


@dataclass
class FixIdea(Document):
    """A proposed fix for one or more gaps, with the dots the team gave it."""

    id: str
    text: str
    gap_ids: list[str] = field(default_factory=list)
    author: str | None = None
    session_id: str | None = None
    votes: dict[str, int] = field(default_factory=dict)  # attendee name -> dots
    impact: int | None = field(default=None, metadata=SCORE)  # 1..3
    effort: int | None = field(default=None, metadata=SCORE)  # 1..3
    picked: bool = False
    created_at: str = field(default_factory=now_iso, metadata=TIMESTAMP)
    first_session_id: str | None = None  # proposed there, brought into ``session_id`` later

    @property
    def vote_count(self) -> int:
        return sum(self.votes.values())


@dataclass
class FollowUp(Document):
    """What a session decided about an open action it followed up."""

    session_id: str
    outcome: FollowUpOutcome
    note: str = ""
    at: str = field(default_factory=now_iso, metadata=TIMESTAMP)


@dataclass
class Action(Document):
    """A committed fix with an owner and a due date."""

    id: str
    title: str
    owner: str
    due: str | None = field(metadata=ISO_DATE)
    status: ActionStatus = "open"
    origin_kind: Literal["idea", "gap", "session"] = "session"
    origin_id: str | None = None
    session_id: str | None = None  # the session that committed it
    created_at: str = field(default_factory=now_iso, metadata=TIMESTAMP)
    closed_at: str | None = field(default=None, metadata=TIMESTAMP)
    follow_ups: list[FollowUp] = field(default_factory=list)

    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"follow_ups": FollowUp}

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open, and its due date has passed (as of ``today``, default the real today)."""
        return self.status == "open" and due_passed(self.due, today or dt.date.today())


def due_passed(due: str | None, day: dt.date) -> bool:
    """The one overdue rule: a due date (ISO) before ``day``. No date, or one that does not read
    as a date, is never overdue."""
    if not due:
        return False
    try:
        return dt.date.fromisoformat(due) < day
    except ValueError:
        return False


# --------------------------------------------------------------------------- sessions


@dataclass
class Attendee(Document):
    """A person at a session, with the role they bring (support, sales, owner...)."""

    name: str
    role: str = ""


@dataclass
class Quote(Document):
    """A moment of a clip marked in a session."""

    clip_id: str
    start: float | None
    end: float | None
    text: str
    speaker: str | None = None
    marked_at: str = field(default_factory=now_iso, metadata=TIMESTAMP)
    sender: str | None = None  # a text clip's quote: the sender's name as the thread gives it


@dataclass
class StoryCheck(Document):
    """The closing check: each attendee's one-line story of the session, and how well they agree."""

    answers: dict[str, str] = field(default_factory=dict)  # attendee name -> answer
    cohesion: float | None = field(default=None, metadata={"range": (0, 100)})
    shared_words: list[str] = field(default_factory=list)
    furthest: str | None = None  # attendee whose answer stands furthest apart


@dataclass
class Session(Document):
    """One weekly listening meeting: who came, what was played and quoted, how far it got."""

    id: str
    date: str = field(metadata=ISO_DATE)  # of the meeting
    facilitator: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    prompt_pack: str = "weekly"
    clip_ids: list[str] = field(default_factory=list)  # clips picked / played, in order
    step_index: int = 0  # the agenda step reached
    step_seconds: dict[str, float] = field(default_factory=dict)  # step id -> time spent
    step_extensions: dict[str, float] = field(default_factory=dict)  # step id -> extra seconds
    quotes: list[Quote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    story_check: StoryCheck | None = None
    status: SessionStatus = "open"
    started_at: str = field(default_factory=now_iso, metadata=TIMESTAMP)
    ended_at: str | None = field(default=None, metadata=TIMESTAMP)
    # a new gap being described and not created yet, per clip id ("" for none): its fields as
    # typed (category, title, description, severity, verdict), kept until the gap is created
    gap_drafts: dict[str, dict[str, str]] = field(default_factory=dict)

    NESTED: ClassVar[dict[str, type[Document]]] = {"story_check": StoryCheck}
    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"attendees": Attendee, "quotes": Quote}

    @property
    def duration_seconds(self) -> float:
        return sum(self.step_seconds.values())


# --------------------------------------------------------------------------- the record of a meeting


@dataclass
class MinutesRecord(Document):
    """What a closed session's minutes are built from, frozen when it closed (``id`` is the
    session's id): the documents the minutes read, as they were then, before any redaction, and
    the settings that shape the minutes. ``frozen_by`` says when: "close", or "first-export" for
    a session closed by a listen that kept no record."""

    id: str
    tables: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # table -> id -> doc
    settings: dict[str, Any] = field(default_factory=dict)
    frozen_at: str = field(default_factory=now_iso)
    frozen_by: str = "close"
