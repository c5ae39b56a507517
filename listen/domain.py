"""The domain: clips, gaps, fix ideas, actions, sessions. Plain data, no storage, no UI.

Every object maps to and from a JSON-compatible document with ``to_doc()`` / ``from_doc()``.
Documents are what the store writes; the mapping is the only place that knows their shape.
Unknown keys in a document are ignored on read, so older code can open newer-but-compatible data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar, get_args

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


def now_iso() -> str:
    """The current local time as an ISO 8601 string with offset, to the millisecond (orders clips)."""
    return dt.datetime.now().astimezone().isoformat(timespec="milliseconds")


def today_iso() -> str:
    return dt.date.today().isoformat()


T = TypeVar("T", bound="Document")


class Document:
    """Mixin: dataclass <-> JSON document, recursing into nested documents and lists of them."""

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
    def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
        known, containers = _field_plan(cls)
        kwargs = {key: value for key, value in doc.items() if key in known}
        for key, kind in cls.NESTED.items():
            value = kwargs.get(key)
            if value is not None:
                kwargs[key] = kind.from_doc(value)
        for key, kind in cls.NESTED_LISTS.items():
            if key in kwargs:
                kwargs[key] = [kind.from_doc(item) for item in kwargs[key]]
        for key in containers:  # never share mutable containers with the caller's document
            value = kwargs.get(key)
            if value is not None:
                kwargs[key] = value.copy()
        return cls(**kwargs)


_FIELD_PLANS: dict[type, tuple[frozenset[str], tuple[str, ...]]] = {}


def _field_plan(cls: type[Document]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Field names, and the plain list/dict fields that from_doc must copy (computed once per class)."""
    plan = _FIELD_PLANS.get(cls)
    if plan is not None:
        return plan
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    nested = set(cls.NESTED) | set(cls.NESTED_LISTS)
    containers = tuple(f.name for f in fields if f.default_factory in (list, dict) and f.name not in nested)
    plan = (frozenset(f.name for f in fields), containers)
    _FIELD_PLANS[cls] = plan
    return plan


# --------------------------------------------------------------------------- clips


@dataclass
class Word(Document):
    """One recognised word with its timing and the model's confidence."""

    start: float
    end: float
    word: str
    probability: float | None = None


@dataclass
class Segment(Document):
    """A stretch of speech (or a paragraph of a text clip) with its start and end in seconds."""

    start: float
    end: float
    text: str
    speaker: str | None = None  # "agent" / "customer" for stereo calls, or a label a user gave
    words: list[Word] = field(default_factory=list)

    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"words": Word}


@dataclass
class Transcript(Document):
    """What was said in a clip. Text clips have one segment holding their whole text."""

    text: str = ""
    segments: list[Segment] = field(default_factory=list)
    language: str | None = None
    engine: str | None = None
    model: str | None = None
    created_at: str | None = None

    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"segments": Segment}


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
    submitted_at: str = field(default_factory=now_iso)
    status: ClipStatus = "queued"
    failure: str | None = None  # reason when status == "failed"
    duration: float | None = None  # seconds; None for text clips
    audio: AudioFacts | None = None
    rep_view: RepView = field(default_factory=RepView)
    has_transcript: bool = False  # the transcript lives in clips/<id>/transcript.json
    transcribed_at: str | None = None
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
    linked_at: str = field(default_factory=now_iso)


@dataclass
class Gap(Document):
    """A shortcoming of the system (never of a person)."""

    id: str
    category: str
    title: str
    description: str = ""
    severity: int = 2  # 1 (minor) .. 3 (severe)
    status: GapStatus = "open"
    verdict: PolicyVerdict | None = None  # policy gaps only
    created_at: str = field(default_factory=now_iso)
    created_by: str | None = None
    links: list[GapLink] = field(default_factory=list)
    merged_into: str | None = None  # id of the gap this one was merged into

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
    impact: int | None = None  # 1..3
    effort: int | None = None  # 1..3
    picked: bool = False
    created_at: str = field(default_factory=now_iso)
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
    at: str = field(default_factory=now_iso)


@dataclass
class Action(Document):
    """A committed fix with an owner and a due date."""

    id: str
    title: str
    owner: str
    due: str | None  # ISO date
    status: ActionStatus = "open"
    origin_kind: Literal["idea", "gap", "session"] = "session"
    origin_id: str | None = None
    session_id: str | None = None  # the session that committed it
    created_at: str = field(default_factory=now_iso)
    closed_at: str | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)

    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"follow_ups": FollowUp}

    def is_overdue(self, today: dt.date | None = None) -> bool:
        if self.status != "open" or not self.due:
            return False
        return dt.date.fromisoformat(self.due) < (today or dt.date.today())


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
    marked_at: str = field(default_factory=now_iso)


@dataclass
class StoryCheck(Document):
    """The closing check: each attendee's one-line story of the session, and how well they agree."""

    answers: dict[str, str] = field(default_factory=dict)  # attendee name -> answer
    cohesion: float | None = None  # 0..100
    shared_words: list[str] = field(default_factory=list)
    furthest: str | None = None  # attendee whose answer stands furthest apart


@dataclass
class Session(Document):
    """One weekly listening meeting: who came, what was played and quoted, how far it got."""

    id: str
    date: str  # ISO date of the meeting
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
    started_at: str = field(default_factory=now_iso)
    ended_at: str | None = None

    NESTED: ClassVar[dict[str, type[Document]]] = {"story_check": StoryCheck}
    NESTED_LISTS: ClassVar[dict[str, type[Document]]] = {"attendees": Attendee, "quotes": Quote}

    @property
    def duration_seconds(self) -> float:
        return sum(self.step_seconds.values())
