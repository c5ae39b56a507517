"""A text clip split into its messages, each with its sender: what a quote is picked from.

A chat thread becomes one message per line that names a sender, in the common forms of pasted and
exported chats::

    Sam: text                          [10:02] Sam: text          Sam (10:02): text
    12/11/2026, 10:02 - Sam: text      [12/11/2026, 10:02:33] Sam: text   (WhatsApp)
    Sam Lee  10:02 AM                  [10:02 AM] Sam Lee         (Slack, Teams: the text follows)

A line that names no sender continues the message above it. "Name:" alone is a sender only when
the thread bears it out (a role word, a team member, a time stamp, or the same name on two
lines), so "Order number: 1234" inside a message stays text. A thread in which no sender is found
keeps one message per paragraph.

An e-mail (the text starts with a ``From:`` header, as .eml clips are stored) becomes its
messages: the top one from its ``From:``, then each earlier message its reply quotes (an
"On ... Sam wrote:" line with ``>`` lines, or an Outlook "From: / Sent:" block), one part per
paragraph so a quote can be one paragraph.

Each sender is then given a role: the one who submitted the clip and the team's members are the
agent ("You" and the words agent/rep/support too); when one other sender is left, that is the
customer (customer/client too); anyone else keeps their name. Segments keep the chat's own time
where a line has one (``Segment.at``); their start and end stay 0: a text clip has an order, not
seconds.

Every text here is hostile: the patterns only ever look at the first ``HEAD`` characters of a line
(a 5 MB line costs one slice), names hold no control characters, and the number of segments is
bounded (the rest of a huge thread joins the last one; nothing is dropped).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from listen.domain import Clip, Segment, Transcript, now_iso, speaker_label

__all__ = ["clip_transcript", "speaker_label", "split_thread", "team_of", "thread_transcript", "with_roles"]

if TYPE_CHECKING:
    from listen.settings import Settings
    from listen.store import Store

SPLITTER = "messages-1"  # Transcript.model of a text clip split by this module (older ones: None)
HEAD = 200  # characters of a line a sender pattern may look at
MAX_NAME = 40
MAX_SEGMENTS = 5000

AGENT_WORDS = frozenset({"agent", "rep", "support", "advisor", "adviser", "operator", "staff", "you", "me"})
TEAM_WORDS = frozenset({"support", "helpdesk", "service", "agent"})
TEAM_MAILBOXES = frozenset(
    {"help", "support", "service", "info", "hello", "team", "sales", "contact", "care"}
)
CUSTOMER_WORDS = frozenset({"customer", "client", "visitor", "guest"})

_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_STAMP = rf"(?:{_DATE},?\s+)?{_TIME}|{_DATE}"
_NAME = rf"[^\s:\[\]()<>\d][^:\[\]()<>]{{0,{MAX_NAME - 1}}}?"
# sender and text on one line
_SAID = [
    re.compile(rf"\[(?P<at>{_STAMP})\]\s*(?:-\s*)?(?P<name>{_NAME})\s*:(?:\s|$)"),  # [10:02] Sam: hi
    re.compile(rf"(?P<at>{_STAMP})\s*[-–—]?\s*(?P<name>{_NAME})\s*:(?:\s|$)"),  # 12/11/26, 10:02 - Sam: hi
    re.compile(rf"(?P<name>{_NAME})\s*[(\[](?P<at>{_STAMP})[)\]]\s*:(?:\s|$)"),  # Sam (10:02): hi
    re.compile(rf"(?P<name>{_NAME})\s*:(?:\s|$)"),  # Sam: hi (a sender only when the thread bears it out)
]
# a header line: the sender and time alone, the text on the lines below
_HEADER = [
    re.compile(rf"\[(?P<at>{_STAMP})\]\s*(?P<name>{_NAME})\s*$"),  # [10:02 AM] Sam Lee
    re.compile(rf"(?P<name>{_NAME})\s*[(\[](?P<at>{_STAMP})[)\]]\s*$"),  # Sam Lee (10:02)
    re.compile(rf"(?P<name>{_NAME})(?:\s*[,·|–—-]\s*|\s+)(?P<at>{_STAMP})\s*$"),  # Sam Lee  10:02 AM
]
_WEAK_HEADER = _HEADER[-1]  # "Tomorrow 10:02" has its shape too: borne out like a bare "Name:"
_SENTENCE = re.compile(r"[,;!?\"“”]|\.\s|https?|www\.")


@dataclass(frozen=True)
class Message:
    """One message (or one paragraph of an e-mail message) and who sent it."""

    text: str
    sender: str | None = None  # the name as the thread gives it
    at: str | None = None  # the time the thread gives it, as written
    role: str | None = None  # "agent" / "customer" once known


# ---------------------------------------------------------------------------- the transcript


def thread_transcript(text: str, *, team: Iterable[str] = (), created_at: str | None = None) -> Transcript:
    """A text clip's transcript: one segment per message (per paragraph of an e-mail message),
    speaker the sender's role when known, else their name. ``text`` is kept whole."""
    team = list(team)
    messages = with_roles(split_thread(text, team), team)
    segments = [
        Segment(start=0.0, end=0.0, text=m.text, speaker=m.role or m.sender, sender=_named(m.sender), at=m.at)
        for m in messages
    ]
    return Transcript(
        text=text, segments=segments, engine="text", model=SPLITTER, created_at=created_at or now_iso()
    )


def team_of(clip: Clip, settings: Settings) -> list[str]:
    """The names that are the agent's side of a clip's thread: who submitted it and the team."""
    return [clip.submitted_by, *(member.name for member in settings.members)]


def clip_transcript(store: Store, clip: Clip, settings: Settings) -> Transcript | None:
    """A clip's transcript as it is shown and quoted: a text clip stored before threads were
    split into messages is split on read (the stored file is left as it is)."""
    transcript = store.transcript(clip.id)
    if transcript is None or clip.kind != "text":
        return transcript
    return resplit(transcript, team_of(clip, settings))


def thread_size(clip: Clip, transcript: Transcript | None) -> str:
    """How long a text clip is: "6 messages" (a chat), "5 parts" (an e-mail's paragraphs)."""
    count = len(transcript.segments) if transcript else 0
    unit = "part" if clip.channel == "email" else "message"
    return f"{count} {unit}{'s' if count != 1 else ''}"


def thread_summary(clip: Clip, transcript: Transcript | None) -> str:
    """What a text clip is, said once: "chat thread, 6 messages from 2 senders"."""
    thread = "e-mail thread" if clip.channel == "email" else f"{clip.channel} thread"
    if transcript is None:
        return thread
    senders = len({s.sender or s.speaker for s in transcript.segments} - {None})
    said = f"{thread}, {thread_size(clip, transcript)}"
    return f"{said} from {senders} sender{'s' if senders != 1 else ''}" if senders else said


def is_split(transcript: Transcript) -> bool:
    """Whether a text clip's transcript was split into messages by this module (older ones hold
    one segment per paragraph with the sender's words inside the text)."""
    return transcript.engine != "text" or transcript.model == SPLITTER


def resplit(transcript: Transcript, team: Iterable[str]) -> Transcript:
    """An older text clip's transcript split into messages, from its stored text (kept as is)."""
    if is_split(transcript) or not transcript.text.strip():
        return transcript
    return thread_transcript(transcript.text, team=team, created_at=transcript.created_at)


# ---------------------------------------------------------------------------- splitting


def split_thread(text: str, team: Iterable[str] = ()) -> list[Message]:
    """The messages of a chat or e-mail thread, in order, none empty, senders not yet given roles."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if _is_header_block(lines, 0, top=True):
        messages = _split_email(lines, depth=0)
    else:
        messages = _split_chat(lines, {_key(name) for name in team})
    return _bounded([m for m in messages if m.text.strip()])


def _bounded(messages: list[Message]) -> list[Message]:
    if len(messages) <= MAX_SEGMENTS:
        return messages
    last = messages[MAX_SEGMENTS - 1]
    rest = "\n".join(m.text for m in messages[MAX_SEGMENTS - 1 :])
    return [*messages[: MAX_SEGMENTS - 1], replace(last, text=rest)]


@dataclass(frozen=True)
class _Said:
    name: str
    at: str | None
    text: str
    weak: bool  # a bare "Name:": a sender only when the thread bears it out


def _said(line: str) -> _Said | None:
    """The sender a line opens with, if it has the shape of one."""
    head = line[:HEAD]
    stripped = head.lstrip()
    skip = len(head) - len(stripped)
    for pattern in _HEADER:
        match = pattern.match(stripped)
        if match and len(line) <= HEAD and _name_ok(match["name"]):
            name, weak = _clean_name(match["name"]), pattern is _WEAK_HEADER
            return _Said(name, match["at"].strip(), "", weak=weak)
    for pattern in _SAID:
        match = pattern.match(stripped)
        if match and _name_ok(match["name"]):
            at = match.groupdict().get("at")
            rest = line[skip + match.end() :].strip()
            name = _clean_name(match["name"])
            return _Said(name, at.strip() if at else None, rest, weak=pattern is _SAID[-1])
    return None


# words that open a label inside a message ("Order Number: 4411", "Note: ..."), not a person
LABEL_WORDS = frozenset(
    {
        *("subject", "re", "fw", "fwd", "note", "ps", "nb", "order", "number", "no", "ref", "reference"),
        *("ticket", "case", "tracking", "total", "price", "date", "time", "phone", "tel", "mobile", "email"),
        *("address", "postcode", "zip", "account", "card", "iban", "link", "url", "error", "warning"),
        *("update", "question", "answer", "edit", "attachment", "status", "item", "product", "sku"),
        *("invoice", "receipt", "amount", "step", "important", "hi", "hello", "dear", "thanks", "thank"),
        *("ok", "okay", "yes", "so", "but", "and", "the", "my", "your", "our", "also", "please", "sorry"),
    }
)


def _looks_like_a_name(name: str) -> bool:
    """ "Jo Harper", "Sam": one to three words, each capitalised, none a label's word."""
    words = name.split()
    return 0 < len(words) <= 3 and all(w[:1].isupper() and w.casefold() not in LABEL_WORDS for w in words)


def _name_ok(name: str) -> bool:
    name = name.strip()
    if not name or len(name) > MAX_NAME or len(name.split()) > 4 or _SENTENCE.search(name):
        return False
    return not any(unicodedata.category(ch)[0] == "C" for ch in name)


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def _split_chat(lines: list[str], team: set[str]) -> list[Message]:
    said = [_said(line) for line in lines]
    counts: dict[str, int] = {}
    for found in said:
        if found is not None:
            counts[found.name.casefold()] = counts.get(found.name.casefold(), 0) + 1
    strong = {f.name.casefold() for f in said if f is not None and not f.weak}
    # "Sam Lee  10:02 AM" twice or more: an export's headers, not a sentence ending in a time
    headers = sum(1 for f in said if f is not None and f.weak and f.at is not None) >= 2
    # a short chat where no name comes twice ("Jo: hi" / "Sam: hello"): bare senders opening at
    # least half the lines are borne out; once a name repeats, a name said once is not
    texts = sum(1 for line in lines if line.strip())
    short = bool(counts) and max(counts.values()) == 1 and 2 * sum(counts.values()) >= texts

    def borne_out(found: _Said) -> bool:
        key = found.name.casefold()
        return (
            not found.weak
            or key in strong
            or counts[key] >= 2
            or short
            or (headers and found.at is not None)
            or _role_word(key) is not None
            or _is_team(key, list(team))
        )

    # once the thread is a chat, a name said once ("Sam Lee: hello") is a sender too
    chat = any(found is not None and borne_out(found) for found in said)

    def real(found: _Said | None) -> bool:
        if found is None:
            return False
        return borne_out(found) or (chat and _looks_like_a_name(found.name))

    if not any(real(found) for found in said):
        return _paragraphs("\n".join(lines), sender=None)
    messages: list[Message] = []
    current: list[str] = []
    sender: str | None = None
    at: str | None = None

    def flush() -> None:
        body = "\n".join(current).strip()
        if body:
            messages.append(Message(body, sender, at))
        current.clear()

    for line, found in zip(lines, said, strict=True):
        if found is not None and real(found):
            flush()
            sender, at = found.name, found.at
            if found.text:
                current.append(found.text)
        elif line.strip() or current:
            current.append(line.rstrip())
    flush()
    return messages


def _paragraphs(text: str, sender: str | None, at: str | None = None) -> list[Message]:
    return [Message(p.strip(), sender, at) for p in re.split(r"\n\s*\n", text) if p.strip()]


# ---------------------------------------------------------------------------- e-mail

_HEADER_FIELD = re.compile(r"(?i)(from|sent|date|to|cc|bcc|subject|reply-to)\s*:\s?(.*)$")
_WROTE = re.compile(
    r"(?i)^\s*(on|le|am|el|il|op)\b(?P<who>.*?)\s*(wrote|a écrit|schrieb|escribió|ha scritto|schreef)\s*:\s*$"
)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|forwarded message|ursprüngliche nachricht)\s*-{2,}|_{8,})\s*$", re.I
)
_ADDRESS = re.compile(r"<[^<>]*>|\S+@\S+")


def _is_header_block(lines: list[str], index: int, *, top: bool = False) -> bool:
    """Whether ``lines[index]`` opens a header block: ``From:`` and, inside a thread, a second
    header field right below (an Outlook reply's "From: / Sent: / To:")."""
    if index >= len(lines):
        return False
    match = _HEADER_FIELD.match(lines[index][:HEAD].strip())
    if not match or match[1].lower() != "from":
        return False
    if top:
        return True
    following = lines[index + 1 : index + 3]
    fields = [_HEADER_FIELD.match(line[:HEAD].strip()) for line in following]
    return any(field is not None and field[1].lower() != "from" for field in fields)


MAX_DEPTH = 50  # replies quoting replies: deeper than this, the rest stays one message's paragraphs


def _split_email(lines: list[str], depth: int) -> list[Message]:
    """A message: its header block (From: ...), its body up to the message it quotes, then that one."""
    index, sender, at = 0, None, None
    while index < len(lines) and lines[index].strip():
        match = _HEADER_FIELD.match(lines[index][:HEAD].strip())
        if match is None:
            break
        field, value = match[1].lower(), match[2]
        if field == "from":
            sender = _person(value)
        elif field in ("date", "sent"):
            at = one_value(value)
        index += 1
    return _email_body(lines[index:], sender, at, depth)


def one_value(value: str) -> str | None:
    value = " ".join(value.split())[:60]
    return value if value and not any(unicodedata.category(c)[0] == "C" for c in value) else None


def _email_body(lines: list[str], sender: str | None, at: str | None, depth: int) -> list[Message]:
    """This message's paragraphs, then the earlier messages it quotes."""
    found = _earlier_message(lines) if depth < MAX_DEPTH else None
    if found is None:
        return _paragraphs("\n".join(lines), sender, at)
    cut, start, who, headed = found
    earlier = _split_email(lines[start:], depth + 1) if headed else _quoted(lines[start:], who, depth)
    return [*_paragraphs("\n".join(lines[:cut]), sender, at), *earlier]


def _earlier_message(lines: list[str]) -> tuple[int, int, str | None, bool] | None:
    """Where this message ends and the one it quotes starts: (end, start, its sender from an
    "On ... wrote:" line, whether it opens with a header block); None when it quotes none."""
    plain = [i for i, line in enumerate(lines) if line.strip() and not line.startswith(">")]
    last_plain = plain[-1] if plain else -1
    for i, line in enumerate(lines):
        head = line[:HEAD]
        if len(line) <= HEAD and (wrote := _WROTE.match(head)) is not None:
            return i, i + 1, _wrote_who(wrote["who"]), False
        two = i + 1 < len(lines) and len(line) + len(lines[i + 1]) <= HEAD
        if two and line.lstrip()[:3].lower() == "on ":
            wrote = _WROTE.match(f"{line.rstrip()} {lines[i + 1].strip()}")  # "On ..., Sam <\nsam@x> wrote:"
            if wrote is not None:
                return i, i + 2, _wrote_who(wrote["who"]), False
        if _SEPARATOR.match(head) and _is_header_block(lines, i + 1, top=True):
            return i, i + 1, None, True
        if i > 0 and _is_header_block(lines, i):
            return i, i, None, True
        if line.startswith(">") and i > last_plain:  # quoted lines with no "wrote:" above them
            return i, i, None, False
    return None


def _quoted(lines: list[str], sender: str | None, depth: int) -> list[Message]:
    """The message a reply quotes: its ``>`` lines one level down (unquoted lines as they are)."""
    inner = [_unquote(line) if line.startswith(">") else line for line in lines]
    first = _first_text(inner)
    if _is_header_block(inner, first, top=True):
        return _split_email(inner[first:], depth + 1)
    return _email_body(inner, sender, None, depth + 1)


def _first_text(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip()), len(lines))


def _unquote(line: str) -> str:
    line = line[1:]
    return line[1:] if line.startswith(" ") else line


def _wrote_who(text: str) -> str | None:
    """The sender in "On Tue, 10 Nov 2026 at 14:02, Sam Lee <sam@x.example>"."""
    bare = _ADDRESS.sub("", text).strip(" ,\"'")
    parts = re.split(rf",|\bat\b|{_TIME}|\d{{4}}", bare)
    name = parts[-1].strip(" ,\"'") if parts else ""
    if name and _name_ok(name):
        return _clean_name(name)
    return _person(text.rsplit(",", 1)[-1])


def _person(value: str) -> str | None:
    """The name of ``Jo Harper <jo@x.example>`` (or the address when there is no name)."""
    value = value.strip()
    name = _ADDRESS.sub("", value).strip(" \"'")
    if name and _name_ok(name):
        return _clean_name(name)
    address = re.search(r"[^\s<>]+@[^\s<>]+", value)
    if address and len(address[0]) <= 80 and not any(unicodedata.category(c)[0] == "C" for c in address[0]):
        return address[0]
    return None


# ---------------------------------------------------------------------------- roles


def with_roles(messages: list[Message], team: Iterable[str]) -> list[Message]:
    """Each message with its sender's role: the team (the submitter, listen.toml's members) and
    the agent words are the agent; the one other sender left, or the customer words, the customer."""
    agents = [_key(name) for name in team if name and name.strip()]
    roles: dict[str, str] = {}
    others: set[str] = set()
    for message in messages:
        if message.sender is None:
            continue
        key = _key(message.sender)
        role = _role_word(key) or ("agent" if _is_team(key, agents) else None)
        if role:
            roles[key] = role
        else:
            others.add(key)
    if len(others) == 1 and "customer" not in roles.values():
        roles[others.pop()] = "customer"
    return [replace(m, role=roles.get(_key(m.sender))) if m.sender else m for m in messages]


def _named(sender: str | None) -> str | None:
    """A sender's name worth keeping: "Customer:" or "You:" names a role, not a person."""
    key = _key(sender)
    return None if key in AGENT_WORDS or key in CUSTOMER_WORDS else sender


def _key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def _role_word(key: str) -> str | None:
    """ "Customer", "Agent", "You"; and a team's own name ("Northwind Support", "Help Desk")."""
    mailbox = key.split("@", 1)[0] if "@" in key else None
    if key in AGENT_WORDS or any(word in TEAM_WORDS for word in key.split()) or mailbox in TEAM_MAILBOXES:
        return "agent"
    if key in CUSTOMER_WORDS:
        return "customer"
    return None


def _is_team(key: str, team: list[str]) -> bool:
    """``Sam`` is ``Sam Lee`` of the team and ``Sam Lee`` is the team's ``Sam`` (a first name
    alone stands for the full name when it is the first word of it)."""
    local = key.split("@", 1)[0] if "@" in key else None
    for name in team:
        if key == name or (local is not None and local.replace(".", " ") == name):
            return True
        if key.split()[:1] == name.split()[:1] and (len(key.split()) == 1 or len(name.split()) == 1):
            return True
    return False
