"""Which words the model was unsure of: a word whose stored probability is below the threshold
(``[transcription] uncertain_below`` in listen.toml). The team checks them by ear.

A segment a person corrected counts as checked: its words are not marked any more. Words are
found in the segment's text by matching the stored words to its tokens (see corrections.py), so
the marks land on the text as shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from listen.domain import Segment, Transcript
from listen.transcribe.corrections import token_spans, token_words


@dataclass(frozen=True)
class Spot:
    """One uncertain word: its segment, where it is in that segment's text, when it is said."""

    segment: int
    first: int  # character offsets in the segment's text
    last: int
    start: float
    end: float
    probability: float
    word: str


def uncertain_in(segment: Segment, threshold: float, index: int = 0) -> list[Spot]:
    """The uncertain words of one segment (none in a corrected one, none with threshold 0)."""
    if threshold <= 0 or segment.corrected or not segment.words:
        return []
    spans = token_spans(segment.text)
    spots: list[Spot] = []
    for (first, last), owned in zip(spans, token_words(segment.text, segment.words), strict=True):
        words = [segment.words[j] for j in owned]
        known = [w.probability for w in words if w.probability is not None]
        if known and min(known) < threshold:
            spots.append(
                Spot(index, first, last, words[0].start, words[-1].end, min(known), segment.text[first:last])
            )
    return spots


def uncertain_words(transcript: Transcript | None, threshold: float) -> list[Spot]:
    """Every uncertain word of a transcript, in order."""
    if transcript is None:
        return []
    return [
        spot
        for index, segment in enumerate(transcript.segments)
        for spot in uncertain_in(segment, threshold, index)
    ]


def next_spot(spots: list[Spot], segment: int, after: float | None) -> Spot | None:
    """The first spot after the moment ``after`` (or from ``segment`` on when no time is known),
    wrapping round to the first; None when there is none."""
    if not spots:
        return None
    for spot in spots:
        if after is not None and spot.start > after + 1e-3:
            return spot
        if after is None and spot.segment >= segment:
            return spot
    return spots[0]
