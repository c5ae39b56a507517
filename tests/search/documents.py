"""Documents for search tests, written through the real store (on disk)."""

from __future__ import annotations

import hashlib

from listen.domain import Clip, RepView, Segment, Transcript
from listen.store import Store


def text_clip(store: Store, title: str, *paragraphs: str, rep_view: RepView | None = None) -> Clip:
    """A text clip (as `listen submit` makes for a chat) with one segment per paragraph."""
    sha = hashlib.sha256("\n".join((title, *paragraphs)).encode()).hexdigest()
    clip = Clip(
        id=sha[:10], sha256=sha, kind="text", title=title, source="chat.txt",
        media=f"clips/{sha[:10]}/original.txt", byte_size=1, channel="chat", submitted_by="Ana",
        status="transcribed", has_transcript=True, rep_view=rep_view or RepView(),
    )  # fmt: skip
    store.write_transcript(clip.id, Transcript(text="\n\n".join(paragraphs), segments=[
        Segment(start=0.0, end=0.0, text=p) for p in paragraphs], engine="text"))  # fmt: skip
    store.put(clip)
    return clip


def audio_clip(store: Store, title: str, segments: list[tuple[float, str]]) -> Clip:
    """An audio clip whose transcript is given (no Whisper needed: the store API writes it)."""
    sha = hashlib.sha256(repr((title, segments)).encode()).hexdigest()
    clip = Clip(
        id=sha[:10], sha256=sha, kind="audio", title=title, source="call.wav",
        media=f"clips/{sha[:10]}/original.wav", byte_size=1, channel="phone", submitted_by="Ana",
        status="transcribed", duration=segments[-1][0] + 5, has_transcript=True,
    )  # fmt: skip
    store.put(clip)
    store.write_transcript(clip.id, transcript_of(segments))
    return clip


def transcript_of(segments: list[tuple[float, str]]) -> Transcript:
    return Transcript(
        text=" ".join(text for _, text in segments),
        segments=[Segment(start=start, end=start + 4, text=text) for start, text in segments],
        engine="faster-whisper",
    )
