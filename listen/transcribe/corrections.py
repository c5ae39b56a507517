"""Corrections a person makes to a machine transcript: a segment's text, a split at a word, two
segments merged, the speaker of a segment. Plain functions from one Transcript to the next (the
app keeps the previous ones for undo), and the one save that stores a corrected transcript.

What is kept, and why:
- ``Segment.original_text`` holds what the machine heard in that stretch from the first change
  on (``corrected`` in ``listen show --json``); ``Segment.text`` is what quotes, search, gap links
  and the minutes use. ``Transcript.corrected_at`` says a person changed the transcript at all
  (a speaker too): re-transcribing such a clip asks first and keeps a copy (``keep_copy``).
- Word timings: a word keeps its time and probability only where the corrected text still has it
  (the same word, ignoring case and punctuation, in the same order: difflib's matching blocks);
  a word that was retyped has no time of its own (the segment's start and end still hold).
  A split divides the words at the split point; a merge joins them.
- Speakers: any label; "agent" and "customer" are the call roles, anything else a person's name.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from listen.domain import Now, Segment, Transcript, Word, stamp
from listen.errors import ListenError

if TYPE_CHECKING:
    from listen.store import Store

ROLES = ("agent", "customer")
MAX_SEGMENT_CHARS = 20_000  # a segment is a sentence or two; a paste of a book is refused
_TOKEN = re.compile(r"\S+")
_NOT_WORD = re.compile(r"[^\w']+")


class CorrectionError(ListenError):
    """A correction that cannot be made (no such segment, nothing to split at...)."""


# --------------------------------------------------------------------------- words and text


def normal(token: str) -> str:
    """A word as compared: case and punctuation ignored ("Cracked," == "cracked")."""
    return _NOT_WORD.sub("", token.casefold())


def token_spans(text: str) -> list[tuple[int, int]]:
    """Where each whitespace-separated token of ``text`` starts and ends."""
    return [match.span() for match in _TOKEN.finditer(text)]


def token_words(text: str, words: Sequence[Word]) -> list[list[int]]:
    """For each token of ``text``, the indices of the timed words that make it up (Whisper may
    give "two-less" as "two" + "-less"). A word is looked for in order in the text; one that is
    not there any more (retyped) belongs to no token."""
    spans = token_spans(text)
    owned: list[list[int]] = [[] for _ in spans]
    starts = [a for a, _ in spans]
    at = 0
    for j, word in enumerate(words):
        said = word.word.strip()
        found = text.find(said, at) if said else -1
        if found < 0:
            continue
        at = found + len(said)
        token = bisect.bisect_right(starts, found) - 1
        if token >= 0 and found < spans[token][1]:
            owned[token].append(j)
    return owned


def same_tokens(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """(old index, new index) of the tokens left as they were (case and punctuation ignored)."""
    left, right = [normal(t) for t in old], [normal(t) for t in new]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    return [
        (block.a + k, block.b + k)
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
        if left[block.a + k]
    ]


def _kept_words(old_text: str, new_text: str, words: Sequence[Word]) -> list[Word]:
    """The timed words of the tokens ``new_text`` kept from ``old_text``, in order."""
    owned = token_words(old_text, words)
    kept = [j for old, _new in same_tokens(old_text.split(), new_text.split()) for j in owned[old]]
    return [words[j] for j in sorted(set(kept))]


def clean_text(text: str) -> str:
    """A segment's text as typed: one line, inner runs of spaces kept, ends trimmed; refused when
    empty or huge (hostile paste). Control characters are stored as typed and shown sanitised."""
    text = " ".join(text.splitlines()).strip()
    if not text:
        raise CorrectionError("a segment needs its words (merge it instead of emptying it)")
    if len(text) > MAX_SEGMENT_CHARS:
        raise CorrectionError(f"a segment holds at most {MAX_SEGMENT_CHARS:,} characters")
    return text


# --------------------------------------------------------------------------- the operations


def machine_text(segment: Segment) -> str:
    """What the machine heard in this segment's stretch."""
    return segment.original_text if segment.original_text is not None else segment.text


def _segment(transcript: Transcript, index: int) -> Segment:
    if not 0 <= index < len(transcript.segments):
        raise CorrectionError(f"no segment {index + 1} (the transcript has {len(transcript.segments)})")
    return transcript.segments[index]


def _with(transcript: Transcript, segments: list[Segment]) -> Transcript:
    from listen.transcribe.stereo import transcript_text  # numpy: only when something changes

    return dataclasses.replace(transcript, segments=segments, text=transcript_text(segments))


def edit_text(transcript: Transcript, index: int, text: str) -> Transcript:
    """Segment ``index`` now says ``text``; its machine text stays in ``original_text``."""
    segment = _segment(transcript, index)
    text = clean_text(text)
    if text == segment.text.strip():
        return transcript
    original = machine_text(segment)
    changed = dataclasses.replace(
        segment, text=text, words=_kept_words(segment.text, text, segment.words), original_text=original
    )
    segments = list(transcript.segments)
    segments[index] = changed
    return _with(transcript, segments)


def split_segment(transcript: Transcript, index: int, at_word: int) -> Transcript:
    """Split segment ``index`` before its ``at_word``-th word (0-based; at least one word each side)."""
    segment = _segment(transcript, index)
    tokens = segment.text.split()
    if not 0 < at_word < len(tokens):
        raise CorrectionError("split between two words (a segment of one word cannot be split)")
    left_text, right_text = " ".join(tokens[:at_word]), " ".join(tokens[at_word:])
    owned = token_words(segment.text, segment.words)
    right_firsts = [j for token in owned[at_word:] for j in token]
    left_lasts = [j for token in owned[:at_word] for j in token]
    cut = right_firsts[0] if right_firsts else (left_lasts[-1] + 1 if left_lasts else len(segment.words))
    left_words, right_words = list(segment.words[:cut]), list(segment.words[cut:])
    if right_words:
        moment = right_words[0].start
    elif left_words:
        moment = left_words[-1].end
    else:  # no timing left: by the share of the characters
        moment = segment.start + (segment.end - segment.start) * len(left_text) / max(1, len(segment.text))
    moment = min(max(moment, segment.start), segment.end)
    left_original, right_original = _split_original(segment, tokens, at_word)
    left = dataclasses.replace(
        segment, end=moment, text=left_text, words=left_words, original_text=left_original
    )
    right = dataclasses.replace(
        segment, start=moment, text=right_text, words=right_words, original_text=right_original
    )
    segments = list(transcript.segments)
    segments[index : index + 1] = [left, right]
    return _with(transcript, segments)


def _split_original(segment: Segment, tokens: list[str], at_word: int) -> tuple[str, str]:
    """The machine's text of each half: split where the corrected words line up with it."""
    if not segment.corrected:
        return " ".join(tokens[:at_word]), " ".join(tokens[at_word:])
    original = (segment.original_text or "").split()
    cut: int | None = None
    for now, then in same_tokens(tokens, original):
        if now >= at_word:
            cut = then
            break
    if cut is None:  # nothing lines up after the split: by the share of the words
        cut = round(len(original) * at_word / max(1, len(tokens)))
    cut = min(max(cut, 0), len(original))
    return " ".join(original[:cut]), " ".join(original[cut:])


def merge_segments(transcript: Transcript, index: int) -> Transcript:
    """Segment ``index`` and the one after it become one (the first one's speaker)."""
    first = _segment(transcript, index)
    if index + 1 >= len(transcript.segments):
        raise CorrectionError("the last segment has nothing after it to merge with")
    second = transcript.segments[index + 1]
    merged = dataclasses.replace(
        first,
        end=max(first.end, second.end),
        text=f"{first.text.strip()} {second.text.strip()}".strip(),
        words=[*first.words, *second.words],
        original_text=f"{machine_text(first).strip()} {machine_text(second).strip()}".strip(),
    )
    segments = list(transcript.segments)
    segments[index : index + 2] = [merged]
    return _with(transcript, segments)


def set_speaker(transcript: Transcript, index: int, speaker: str | None) -> Transcript:
    """Segment ``index`` is said by ``speaker`` (None: unknown)."""
    segment = _segment(transcript, index)
    if speaker is not None:
        speaker = " ".join(speaker.split())[:100] or None
    if speaker == segment.speaker:
        return transcript
    segments = list(transcript.segments)
    segments[index] = dataclasses.replace(segment, speaker=speaker)
    return _with(transcript, segments)


def same_as_before(transcript: Transcript, index: int) -> Transcript:
    """Segment ``index`` gets the speaker of the segment before it."""
    if index <= 0:
        raise CorrectionError("the first segment has no segment before it")
    _segment(transcript, index)
    return set_speaker(transcript, index, transcript.segments[index - 1].speaker)


def next_speaker(current: str | None, team: Sequence[str]) -> str:
    """The speaker one key press further: agent, customer, then each team member, then agent."""
    choices = list(dict.fromkeys([*ROLES, *team]))
    if current not in choices:
        return choices[0]
    return choices[(choices.index(current) + 1) % len(choices)]


def swap_from(transcript: Transcript, index: int) -> Transcript:
    """From segment ``index`` to the end, the two speakers trade places (agent <-> customer, or
    the two people named there); refused when there are more than two."""
    _segment(transcript, index)
    later = transcript.segments[index:]
    labels = list(dict.fromkeys(s.speaker for s in later if s.speaker))
    if len(labels) == 1 and labels[0] in ROLES:
        labels.append(ROLES[1 - ROLES.index(labels[0])])
    if len(labels) != 2:
        found = "no speakers" if not labels else f"{len(labels)} speakers"
        raise CorrectionError(f"swap needs two speakers from here on; there are {found}")
    one, other = labels
    swapped = {one: other, other: one}
    segments = list(transcript.segments[:index]) + [
        dataclasses.replace(s, speaker=swapped.get(s.speaker, s.speaker) if s.speaker else None)
        for s in later
    ]
    return _with(transcript, segments)


# --------------------------------------------------------------------------- storing


class ChangedElsewhere(CorrectionError):
    """The stored transcript changed since this editor loaded it (another window corrected the
    same segment, split or merged, or the clip was transcribed again): nothing was written."""


def rebase(base: Transcript, mine: Transcript, stored: Transcript) -> Transcript | None:
    """This editor's changes (``base`` -> ``mine``) made to ``stored`` instead, when they touch
    only segments the other writer left as they were in ``base`` (same segment count all round);
    None when they cannot be (a split or merge on either side, or the same segment changed)."""
    count = len(base.segments)
    if len(mine.segments) != count or len(stored.segments) != count:
        return None
    segments = list(stored.segments)
    for i, (was, now) in enumerate(zip(base.segments, mine.segments, strict=True)):
        if now == was:
            continue
        if stored.segments[i] != was:
            return None
        segments[i] = now
    return _with(stored, segments)


def save_corrected(
    store: Store,
    clip_id: str,
    transcript: Transcript,
    *,
    base: Transcript | None = None,
    now: Now | None = None,
) -> Transcript:
    """Store ``transcript`` as the clip's corrected transcript (atomic, under the workspace lock;
    the search index follows) and return what was stored.

    ``base`` is the transcript this editor last loaded or saved (optimistic concurrency): when
    the stored one changed since (another window saved), only this editor's changes are made to
    the stored one, if they touch segments the other left alone; otherwise ChangedElsewhere and
    nothing is written. Refused too when the clip was transcribed again since (``created_at``)."""
    with store.transaction():
        stored = store.transcript(clip_id)
        if stored is None or stored.created_at != transcript.created_at:
            raise ChangedElsewhere(
                f"{clip_id}: the clip was transcribed again since this transcript was opened; "
                "this correction was not saved (open the clip again)"
            )
        if base is not None and stored.segments != base.segments:
            rebased = rebase(base, transcript, stored)
            if rebased is None:
                raise ChangedElsewhere(
                    f"{clip_id}: the transcript was corrected in another window meanwhile (the same "
                    "segment, or a split or merge); this correction was not saved"
                )
            transcript = rebased
        corrected = dataclasses.replace(transcript, corrected_at=stamp(now))
        store.write_transcript(clip_id, corrected)
    return corrected


def corrections_of(store: Store, clip_id: str) -> Transcript | None:
    """The clip's stored transcript if a person corrected it, else None."""
    transcript = store.transcript(clip_id)
    return transcript if transcript is not None and transcript.has_corrections else None


def keep_copy(store: Store, clip_id: str, *, now: Now | None = None) -> Path | None:
    """Before a new transcript replaces a corrected one: the corrected one is copied beside it
    (``clips/<id>/transcript.corrected-<time>.json``, the same document, readable by ``listen``'s
    own reader). Returns the copy's path, or None when there was nothing corrected to keep."""
    from listen.store.atomic import atomic_write_json

    transcript = corrections_of(store, clip_id)
    if transcript is None:
        return None
    when = re.sub(r"[^0-9T]", "", stamp(now)[:19])
    folder = store.workspace.transcript_path(clip_id).parent
    path = folder / f"transcript.corrected-{when}.json"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"transcript.corrected-{when}-{number}.json"
    atomic_write_json(path, transcript.to_doc())
    return path
