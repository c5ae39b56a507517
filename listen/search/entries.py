"""What is searchable in each stored document: its entries (one per transcript segment, quote, note...).

A *source* is one stored thing whose entries are replaced together when it changes:
``clip:<id>`` (the clip's title and the rep's view), ``transcript:<id>`` (its segments; an e-mail
or chat is a text clip whose transcript holds its text), ``session:<id>`` (quotes and notes),
``gap:<id>``, ``idea:<id>`` and ``action:<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from listen.domain import Action, Clip, Document, FixIdea, Gap, Session, Transcript

# Characters the index uses to mark matched words; removed from stored text before indexing, so a
# hostile text cannot forge a highlight.
MARK_START = "\ue000"
MARK_END = "\ue001"
_NO_MARKS = {ord(MARK_START): None, ord(MARK_END): None}

KINDS = ("segment", "clip", "rep view", "quote", "note", "gap", "idea", "action")


@dataclass(frozen=True)
class Entry:
    """One searchable row: ``title`` weighs more than ``body`` in the ranking."""

    kind: str  # one of KINDS
    title: str
    body: str
    clip_id: str | None = None
    at: float | None = None  # seconds into the clip
    session_id: str | None = None
    ref: str | None = None  # the gap, idea or action id; the note's number in its session

    def cleaned(self) -> Entry:
        return Entry(
            self.kind,
            self.title.translate(_NO_MARKS),
            self.body.translate(_NO_MARKS),
            self.clip_id,
            self.at,
            self.session_id,
            self.ref,
        )


def source_of(obj: Document) -> str:
    """The source key of a stored document (see the module's docstring)."""
    kind = type(obj).__name__.lower().replace("fixidea", "idea")
    return f"{kind}:{obj.id}"  # type: ignore[attr-defined]  # every stored document has an id


def transcript_source(clip_id: str) -> str:
    return f"transcript:{clip_id}"


def entries_of(obj: Document) -> list[Entry]:
    """The entries of a Clip, Session, Gap, FixIdea or Action (a merged gap has none)."""
    if isinstance(obj, Clip):
        view = obj.rep_view
        entries = [Entry("clip", obj.title, "", clip_id=obj.id)]
        said = "\n".join(text for text in (view.needed, view.hard, view.workaround, view.note) if text)
        if said:
            entries.append(Entry("rep view", "", said, clip_id=obj.id))
        return entries
    if isinstance(obj, Session):
        quotes = [
            Entry("quote", "", q.text, clip_id=q.clip_id, at=q.start, session_id=obj.id) for q in obj.quotes
        ]
        notes = [
            Entry("note", "", note, session_id=obj.id, ref=str(number))
            for number, note in enumerate(obj.notes, 1)
        ]
        return quotes + notes
    if isinstance(obj, Gap):
        if obj.merged_into is not None:
            return []
        return [Entry("gap", obj.title, obj.description, ref=obj.id)]
    if isinstance(obj, FixIdea):
        return [Entry("idea", "", obj.text, session_id=obj.session_id, ref=obj.id)]
    if isinstance(obj, Action):
        return [Entry("action", obj.title, "", session_id=obj.session_id, ref=obj.id)]
    return []


def transcript_entries(clip_id: str, transcript: Transcript | None) -> list[Entry]:
    """One entry per segment (a transcript without segments: one entry with its text)."""
    if transcript is None:
        return []
    return segment_entries(clip_id, [(float(s.start), s.text) for s in transcript.segments], transcript.text)


def segment_entries(clip_id: str, segments: list[tuple[float, str]], text: str) -> list[Entry]:
    if not segments:
        text = text.strip()
        return [Entry("segment", "", text, clip_id=clip_id, at=0.0)] if text else []
    return [Entry("segment", "", said, clip_id=clip_id, at=start) for start, said in segments if said.strip()]


def transcript_doc_entries(clip_id: str, doc: object) -> list[Entry] | None:
    """The entries of a transcript file's JSON as read for a rebuild: only the segments' start and
    text are looked at (checking every word timing costs ~12 ms a clip: minutes at 10,000 clips);
    None when even those are not as ``Transcript`` stores them (``listen doctor`` names the file)."""
    if not isinstance(doc, dict):
        return None
    text, segments = doc.get("text", ""), doc.get("segments", [])
    if not isinstance(text, str) or not isinstance(segments, list):
        return None
    pairs = []
    for segment in segments:
        if not isinstance(segment, dict):
            return None
        start, said = segment.get("start"), segment.get("text")
        if isinstance(start, bool) or not isinstance(start, (int, float)) or not isinstance(said, str):
            return None
        pairs.append((float(start), said))
    return segment_entries(clip_id, pairs, text)
