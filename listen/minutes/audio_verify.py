"""Verified, not assumed: what a speech model can still hear of the personal data in a bleeped quote.

``recovered(heard, secrets)`` takes what a model transcribed from an exported quote file and the
personal data that was said in it (``Secret``: its category and its words, from the transcript
before redaction) and returns the secrets it gives away:

- numbers (phone, card, account, id, passport, number): a run of ``DIGIT_RUN`` or more of the
  secret's digits, in order, among the digits heard (written "4111" or said "four one one one");
- e-mail addresses: any distinctive part of the address (a name or host of three letters or more,
  not "dot", "at", "com", "gmail"...) heard as a word, or a word close to it (``ALIKE``);
- anything else: the redactor finding the same category in what was heard.

``transcribe_file`` runs a loaded engine (the bundled model) on a file. The tests run both on
every exported quote of calls that say phone numbers, card numbers and e-mail addresses.
``listen export --verify-audio`` runs the same check on every quote before anything is written
(``model_check``): a quote whose sound still gives data away is left out, and the minutes say so.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from listen.minutes.bleep import digits_of
from listen.minutes.redact import DEFAULT_REGION, find_spans

if TYPE_CHECKING:
    from listen.minutes.audio_quotes import QuoteAudio
    from listen.transcribe.engine import Engine

DIGIT_RUN = 4  # this many of a number's digits in a row give part of it away
NUMBER_CATEGORIES = ("phone", "card", "account", "id", "passport", "number")
# words of every address, and hosts everyone uses: hearing them gives no one away
_EMAIL_FILLER = frozenset(
    {"dot", "at", "com", "net", "org", "co", "uk", "de", "io", "email", "mail", "underscore", "gmail",
     "outlook", "hotmail", "yahoo", "icloud"}
)  # fmt: skip
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(r"\d+|[^\W\d_]+")  # a run of digits, or a word
ALIKE = 0.8  # how close a heard word must be to a part of an address to give it away


@dataclass(frozen=True)
class Secret:
    category: str
    text: str  # as it was said or written ("five five five ...", "zoltan dot berg at ...")

    @property
    def digits(self) -> str:
        return "".join(spoken_digit_runs(self.text))


def recovered(heard: str, secrets: Sequence[Secret], region: str = DEFAULT_REGION) -> list[Secret]:
    """The secrets ``heard`` (a transcription of the bleeped sound) still gives away."""
    found = find_spans(heard, region)
    runs = spoken_digit_runs(heard)
    words = {w.casefold() for w in _WORD_RE.findall(heard) if len(w) >= 4}
    given: list[Secret] = []
    for secret in secrets:
        if secret.category in NUMBER_CATEGORIES and secret.digits:
            if _shares_run(secret.digits, runs):
                given.append(secret)
        elif secret.category == "email":
            parts = {w.casefold() for w in _WORD_RE.findall(secret.text)} - _EMAIL_FILLER
            distinctive = {p for p in parts if len(p) >= 3}
            if any(_alike(part, word) for part in distinctive for word in words):
                given.append(secret)
        elif any(s.category == secret.category for s in found):
            given.append(secret)
    return given


def transcribe_file(engine: Engine, path: Path) -> str:
    """What ``engine`` (loaded) hears in the audio file at ``path``."""
    from listen.audio.decode import decode_audio

    return " ".join(segment.text for segment in engine.transcribe(decode_audio(path)))


def transcribe_bytes(engine: Engine, data: bytes) -> str:
    """What ``engine`` (loaded) hears in an Ogg Opus file held in memory (nothing is written)."""
    import io

    import av
    import numpy as np

    blocks: list[np.ndarray] = []
    resampler = av.AudioResampler(format="flt", layout="mono", rate=16_000)
    with av.open(io.BytesIO(data), "r") as container:
        for frame in container.decode(audio=0):
            blocks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    blocks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    samples = np.concatenate(blocks).astype(np.float32) if blocks else np.zeros(0, dtype=np.float32)
    return " ".join(segment.text for segment in engine.transcribe(samples))


def model_check(engine: Engine, region: str = DEFAULT_REGION) -> Callable[[QuoteAudio], str | None]:
    """For ``build_audio(check=...)``: transcribe each bleeped quote again with ``engine`` and refuse
    it, saying what, when the model still hears any of the personal data bleeped out of it."""

    def check(quote: QuoteAudio) -> str | None:
        if not quote.said:
            return None
        secrets = [Secret(category, words) for category, words in quote.said]
        given = recovered(transcribe_bytes(engine, quote.data), secrets, region)
        if not given:
            return None
        what = ", ".join(dict.fromkeys(secret.category for secret in given))
        return f"the speech model still heard personal data ({what}) after bleeping"

    return check


def spoken_digit_runs(text: str) -> list[str]:
    """Every run of digits in ``text``, however written or said ("4.5-3-9", "four one one one",
    "0343, 6467"): digits and digit words in a row, only other words breaking a run (the
    strictest reading: anything the model wrote as digits counts)."""
    runs: list[str] = []
    current = ""
    for token in _TOKEN_RE.findall(text):
        digits = digits_of(token)
        if digits:
            current += digits
        elif current:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs


def _alike(part: str, word: str) -> bool:
    """A heard word that is a part of an address, or close to it ("zolton" for "zoltan")."""
    return part == word or (len(word) >= 4 and difflib.SequenceMatcher(None, part, word).ratio() >= ALIKE)


def _shares_run(digits: str, runs: Sequence[str]) -> bool:
    pieces = {digits[i : i + DIGIT_RUN] for i in range(len(digits) - DIGIT_RUN + 1)}
    return any(piece in run for run in runs for piece in pieces)
