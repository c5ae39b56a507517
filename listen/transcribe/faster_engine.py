"""The faster-whisper engine (the default): CTranslate2 on the CPU, int8, Silero VAD, offline.

``load()`` resolves the model (``models.resolve_model``) and builds one ``WhisperModel`` that is
reused for every clip. ``transcribe()`` takes 16 kHz mono float32 audio. Audio longer than
``chunks.MAX_WINDOW_SECONDS`` is cut at quiet moments into windows; within a window faster-whisper's
own segment generator is consumed lazily, so progress (in audio seconds) is reported after each
segment and the cancel check runs between segments and windows.
Company vocabulary goes in as ``hotwords``, which faster-whisper puts in the prompt of every 30 s
window (an ``initial_prompt`` would only reach the first one).
Segments whose decoding statistics say "made up over silence" are dropped as they come
(``segments.unlikely_speech``); the rest are cut into sentences and checked against the audio's
loudness at the end (``segments.finish_segments``), as with every engine.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from listen.domain import Segment, Word
from listen.errors import ListenError
from listen.transcribe.chunks import MAX_WINDOW_SECONDS, Window, windows
from listen.transcribe.engine import (
    SAMPLE_RATE,
    CancelCheck,
    Cancelled,
    EngineOptions,
    ProgressCallback,
)
from listen.transcribe.models import ResolvedModel, resolve_model
from listen.transcribe.segments import finish_segments, speech_share, unlikely_speech

FALLBACK_COMPRESSION_RATIO = 2.4  # faster-whisper's and Whisper's default
SILENCE_PEAK = 1e-4  # below this peak amplitude (-80 dBFS) audio is digital silence: skip the model


def hotwords_for(vocabulary: tuple[str, ...]) -> str | None:
    """Company words as one hotwords string ("Northwind, FlexiPlan"), or None when there are none."""
    words = [word.strip() for word in vocabulary if word.strip()]
    return ", ".join(words) if words else None


class FasterWhisperEngine:
    """Whisper through faster-whisper. Build it, ``load()`` once, then ``transcribe()`` many clips."""

    name = "faster-whisper"

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        self.model: ResolvedModel | None = None
        self._whisper: Any = None
        self.window_seconds = MAX_WINDOW_SECONDS

    @property
    def model_label(self) -> str:
        """The model's name for the transcript record (resolved after ``load()``)."""
        return self.model.label if self.model is not None else self.options.model

    def load(self) -> None:
        if self._whisper is not None:
            return
        resolved = resolve_model(self.options.model)
        try:
            from faster_whisper import WhisperModel
        except ImportError as error:  # pragma: no cover - a normal dependency
            raise ListenError(f"faster-whisper is not installed ({error})") from None
        try:
            self._whisper = WhisperModel(
                str(resolved.path),
                device="cpu",
                compute_type=self.options.compute_type,
                cpu_threads=max(0, self.options.threads),
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise ListenError(f"{resolved.path}: the model cannot be loaded ({reason})") from None
        self.model = resolved

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelCheck | None = None,
    ) -> list[Segment]:
        """Sentence-sized segments (with words when ``word_timestamps``) of 16 kHz mono float32 audio."""
        self.load()
        audio = np.asarray(audio, dtype=np.float32)
        if audio.ndim != 1:
            raise ValueError(f"expected mono audio (1-D), got shape {audio.shape}")
        total = audio.shape[0] / SAMPLE_RATE
        segments: list[Segment] = []
        if audio.size == 0 or float(np.max(np.abs(audio))) < SILENCE_PEAK:
            _check(cancel)
            _report(progress, total)
            return segments
        for window in windows(audio, max_seconds=self.window_seconds):
            _check(cancel)
            for segment in self._window_segments(audio, window, cancel):
                segments.append(segment)
                _report(progress, min(segment.end, total))
            _report(progress, window.end / SAMPLE_RATE)
        return finish_segments(segments, audio)

    def _window_segments(self, audio: np.ndarray, window: Window, cancel: CancelCheck | None) -> Any:
        """Whisper's segments of ``window`` of ``audio``, times from the start of ``audio``."""
        options = self.options
        offset = window.offset_seconds
        generator, _info = self._whisper.transcribe(
            audio[window.start : window.end],
            language=options.language or None,
            beam_size=max(1, options.beam_size),
            vad_filter=options.vad,
            word_timestamps=options.word_timestamps,
            hotwords=hotwords_for(options.vocabulary),
            no_speech_threshold=None,  # no window skipped unseen: segments.unlikely_speech decides
            # "fast": no resampling of repetitive text at higher temperatures: it is random (one sentence
            # said six times once came back as some 18 repeats on one core); unlikely_speech judges it.
            # "accurate" (temperature_fallback): faster-whisper's own fallback, as Whisper decodes.
            compression_ratio_threshold=FALLBACK_COMPRESSION_RATIO if options.temperature_fallback else None,
        )
        for raw in generator:  # lazy: each step decodes more audio
            text = raw.text.strip()
            if text:
                segment = _segment(raw, text, offset)
                stats = (raw.no_speech_prob, raw.avg_logprob, raw.compression_ratio)
                share = partial(speech_share, audio, segment.start, segment.end)
                if not unlikely_speech(text, *stats, words=segment.words, speech_share=share):
                    yield segment
            _check(cancel)


def _segment(raw: Any, text: str, offset: float) -> Segment:
    words = [
        Word(
            start=_seconds(word.start, offset),
            end=_seconds(word.end, offset),
            word=word.word.strip(),
            probability=round(float(word.probability), 4),
        )
        for word in (raw.words or [])
        if word.word.strip()
    ]
    return Segment(
        start=_seconds(raw.start, offset),
        end=_seconds(raw.end, offset),
        text=text,
        words=words,
    )


def _seconds(value: Any, offset: float) -> float:
    return round(float(value) + offset, 3)


def _check(cancel: CancelCheck | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def _report(progress: ProgressCallback | None, seconds: float) -> None:
    if progress is not None:
        progress(seconds)
