"""The openai-whisper engine: the design card's package, run offline on the bundled model.

openai-whisper (and torch) are an optional extra, imported only in ``load()``. The bundled model is a
CTranslate2 directory; ``ct2_checkpoint`` converts it once into the checkpoint file that
``whisper.load_model`` takes. Audio is always passed as a float32 array (given a path, whisper would
shell out to ``ffmpeg``). Long audio goes window by window (30 s, whisper's own window), one
``whisper.transcribe`` call per window, so progress is reported and cancel is checked between windows;
each window starts where whisper would have started it and is prompted with the text so far.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from listen.domain import Segment, Word
from listen.errors import ListenError
from listen.transcribe.engine import (
    SAMPLE_RATE,
    CancelCheck,
    Cancelled,
    EngineOptions,
    ProgressCallback,
)
from listen.transcribe.segments import finish_segments, speech_share, unlikely_speech

if TYPE_CHECKING:
    from listen.transcribe.ct2_checkpoint import BuiltCheckpoint

NOT_INSTALLED = "the openai-whisper engine is not installed: run `make openai-whisper`"
SILENCE_PEAK = 1e-4  # below this peak amplitude (-80 dBFS) the audio is digital silence: skip the model
WINDOW_SECONDS = 30.0  # whisper's own window: one encoder pass per chunk
HOP_SAMPLES = 160  # whisper's mel hop: 100 frames per second
FRAMES_PER_SECOND = SAMPLE_RATE // HOP_SAMPLES


@dataclass(frozen=True)
class ModelSource:
    """What ``options.model`` resolved to."""

    kind: str  # "ct2" (a CTranslate2 directory), "checkpoint" (a .pt file) or "name" (whisper fetches)
    location: str  # directory, file path or model name
    label: str  # how the model is named in messages and on the transcript


def resolve_model(model: str) -> ModelSource:
    """``bundled``, a CTranslate2 model directory, an openai-whisper ``.pt`` file, or a model name."""
    model = model.strip()
    if model in ("", "bundled"):
        from listen.transcribe.models import bundled_model_label, bundled_model_path

        return ModelSource("ct2", str(bundled_model_path()), bundled_model_label())
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ListenError(f"{path}: not a CTranslate2 Whisper model directory (no model.bin)")
        return ModelSource("ct2", str(path), str(path))
    if path.is_file():
        return ModelSource("checkpoint", str(path), str(path))
    if "/" in model or model.endswith(".pt"):
        raise ListenError(f"{model}: no such model file or directory")
    return ModelSource("name", model, model)


def vocabulary_prompt(vocabulary: tuple[str, ...]) -> str:
    """Company words as whisper's initial prompt: a plain comma-separated list."""
    words = [word.strip() for word in vocabulary if word.strip()]
    return ", ".join(words) + "." if words else ""


class OpenAIWhisperEngine:
    """openai-whisper, fp32 on the CPU, temperature 0: greedy, or beam search when ``beam_size`` > 1.

    Of ``EngineOptions`` it uses model, language, vocabulary (the initial prompt), beam_size, threads
    (``torch.set_num_threads``, process-wide), word_timestamps and ``extra["cache_dir"]`` (where the
    converted checkpoint goes; default ``ct2_checkpoint.default_cache_dir()``). openai-whisper has no
    VAD and computes in float32 on the CPU, so ``vad`` and ``compute_type`` do not apply, nor does
    ``temperature_fallback``: listen drives whisper one window at a time (``_OneWindow`` answers its
    second decode call), which whisper's resampling at higher temperatures would break; ``quality =
    "accurate"`` gives this engine the beam of 5 only.
    """

    name = "openai-whisper"

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        self.source: ModelSource | None = None
        self.checkpoint: BuiltCheckpoint | None = None
        self._model: Any = None
        self._whisper: Any = None
        self._decoding_result: Any = None

    @property
    def model_label(self) -> str:
        """The model's name for the transcript record."""
        return (self.source or resolve_model(self.options.model)).label

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        if self._model is not None:
            return
        try:
            import torch
            import whisper
        except ImportError as error:
            raise ListenError(NOT_INSTALLED) from error
        source = resolve_model(self.options.model)
        self._apply_threads()
        model = self._load_model(whisper, source)
        language = self.options.language  # already normalised (runner.spoken_language)
        if not model.is_multilingual and language not in (None, "en", "english"):
            raise ListenError(
                f"the model {source.label} understands English only, not language {self.options.language!r}"
            )
        if model.is_multilingual and language is not None:
            from whisper.tokenizer import LANGUAGES, TO_LANGUAGE_CODE

            if language not in LANGUAGES and language not in TO_LANGUAGE_CODE:
                raise ListenError(f"openai-whisper does not know the language {self.options.language!r}")
        model.eval()
        from whisper.decoding import DecodingResult
        from whisper.timing import dtw

        dtw(-torch.rand(4, 12))  # compile numba's DTW now, not in the first clip (a few seconds)
        self._decoding_result = DecodingResult
        self.source = source
        self._whisper = whisper
        self._model = model

    def _apply_threads(self) -> None:
        """Use ``options.threads`` CPU threads in this thread, for torch and numba (word timestamps).

        Both run on one OpenMP runtime whose thread count is per calling thread, and numba's parallel
        DTW resets it to numba's own count; so this is done on every call, in the calling thread.
        """
        threads = self.options.threads
        if threads <= 0:
            return
        import numba
        import torch

        torch.set_num_threads(threads)
        numba.set_num_threads(min(threads, int(getattr(numba.config, "NUMBA_NUM_THREADS", threads))))

    def _load_model(self, whisper: Any, source: ModelSource) -> Any:
        if source.kind == "ct2":
            from listen.transcribe.ct2_checkpoint import alignment_heads_dump, ensure_checkpoint

            cache = self.options.extra.get("cache_dir")
            built = ensure_checkpoint(Path(source.location), Path(str(cache)) if cache else None)
            model = self._load_file(whisper, str(built.path), source)
            dims = built.dims
            model.set_alignment_heads(
                alignment_heads_dump(built.alignment_heads, dims["n_text_layer"], dims["n_text_head"])
            )
            self.checkpoint = built
            return model
        if source.kind == "checkpoint":
            return self._load_file(whisper, source.location, source)
        if source.location not in whisper.available_models():
            raise ListenError(
                f"unknown model {source.location!r}: give 'bundled', a CTranslate2 model directory, "
                f"an openai-whisper .pt file, or one of {', '.join(whisper.available_models())}"
            )
        try:
            return whisper.load_model(source.location, device="cpu")
        except (OSError, RuntimeError) as error:
            raise ListenError(
                f"cannot fetch the openai-whisper model {source.location!r} ({error}); "
                "without internet use --model bundled or a model directory"
            ) from error

    @staticmethod
    def _load_file(whisper: Any, path: str, source: ModelSource) -> Any:
        try:
            return whisper.load_model(path, device="cpu")
        except Exception as error:  # a damaged or foreign file: torch/pickle raise many kinds
            lines = str(error).strip().splitlines()
            reason = lines[0][:160] if lines else type(error).__name__
            raise ListenError(f"{source.location}: not an openai-whisper model ({reason})") from error

    # ------------------------------------------------------------------ transcribing

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelCheck | None = None,
    ) -> list[Segment]:
        """Transcribe window by window: each call to whisper decodes one window of at most 30 s.

        Like whisper's own loop, the next window starts where the last complete segment of the
        previous one ended (whisper drops an unfinished segment at a window's end), and the text so
        far is the next window's prompt. Progress is reported and ``cancel`` checked between windows.
        The segments are then cut into sentences and cleared of text over silence
        (``segments.finish_segments``), as with every engine.
        """
        samples = np.ascontiguousarray(audio, dtype=np.float32)
        if samples.ndim != 1:
            raise ValueError(f"expected mono audio (1-D), got shape {samples.shape}")
        self.load()
        self._apply_threads()
        total = int(samples.shape[0])
        if total == 0 or float(np.max(np.abs(samples))) < SILENCE_PEAK:
            if cancel is not None and cancel():
                raise Cancelled()
            if progress is not None:
                progress(total / SAMPLE_RATE)
            return []
        window = int(WINDOW_SECONDS * SAMPLE_RATE)
        vocabulary = vocabulary_prompt(self.options.vocabulary) or None
        history_limit = self._model.dims.n_text_ctx // 2 - 1  # what whisper's decoder keeps
        language = self.options.language if self._model.is_multilingual else "en"
        segments: list[Segment] = []
        history: list[int] = []  # tokens (timestamps included) decoded so far: the next prompt
        last_time = 0.0
        start = 0
        while start < total:
            if cancel is not None and cancel():
                raise Cancelled()
            end = min(total, start + window)
            offset, limit = start / SAMPLE_RATE, end / SAMPLE_RATE
            result = self._one_window(samples[start:end], language, vocabulary, history)
            raw_segments = [raw for raw in result.segments if not _hallucinated(raw, samples, offset)]
            language = language or result.language  # detected on the first window, then kept
            chunk = [
                segment
                for raw in raw_segments
                if (segment := _segment(raw, offset, limit, last_time)) is not None
            ]
            if chunk:
                last_time = max(last_time, chunk[-1].end)
                segments.extend(chunk)
            history = (history + [int(t) for raw in raw_segments for t in raw.get("tokens", [])])[
                -history_limit:
            ]
            start = _next_start(result.segments, result.wanted_more, start, end)
            if progress is not None:
                progress(start / SAMPLE_RATE)
        return finish_segments(segments, samples)

    def _one_window(
        self, chunk: np.ndarray, language: str | None, vocabulary: str | None, history: list[int]
    ) -> _WindowResult:
        """whisper.transcribe on ``chunk`` (<= 30 s), stopped after its first window.

        The prompt is what whisper itself would give: the vocabulary prompt, then the tokens decoded
        so far (with their timestamp tokens, which keep the model producing timestamped segments).

        whisper would decode the rest of the chunk after an unfinished last segment as a short window
        of its own; instead that call is answered with "no speech" and reported back (``wanted_more``),
        so the caller starts the next window there, over fresh audio, as whisper does on long audio.
        """
        options = self.options
        decode: dict[str, Any] = {}
        if options.beam_size > 1:
            decode["beam_size"] = options.beam_size
        with _OneWindow(self._model, self._decoding_result, history).attached() as window:
            result: dict[str, Any] = self._whisper.transcribe(
                self._model,
                chunk,
                verbose=None,
                temperature=0.0,
                fp16=False,
                language=language,
                initial_prompt=vocabulary,
                condition_on_previous_text=True,
                word_timestamps=options.word_timestamps,
                no_speech_threshold=None,  # no window skipped unseen: segments.unlikely_speech decides
                **decode,
            )
        return _WindowResult(
            segments=list(result.get("segments", [])),
            wanted_more=window.calls > 1,
            language=str(result.get("language") or language or "en"),
        )


@dataclass(frozen=True)
class _WindowResult:
    segments: list[dict[str, Any]]  # whisper's segment dicts, times from the window's start
    wanted_more: bool  # whisper's last segment was unfinished: it wanted to go on from there
    language: str


def _hallucinated(raw: dict[str, Any], samples: np.ndarray, offset: float) -> bool:
    """Text over what is most likely not speech, by whisper's own statistics for the segment.

    Run with temperature 0 and no fallback, whisper keeps what it decodes over noise (". . ." or the
    same phrase again and again) when its log probability is high; with its fallback it would have
    resampled and then dropped it as silence. ``segments.unlikely_speech`` decides, as for faster-whisper.
    ``samples`` is the whole track, and ``offset`` where the window the segment's times count from starts.
    """
    words = [
        Word(
            float(item["start"]),
            float(item["end"]),
            str(item.get("word", "")),
            _number(item.get("probability")),
        )
        for item in raw.get("words") or []
    ]
    return unlikely_speech(
        str(raw.get("text", "")),
        _number(raw.get("no_speech_prob")),
        _number(raw.get("avg_logprob")),
        _number(raw.get("compression_ratio")),
        words=words,
        speech_share=lambda: speech_share(
            samples, offset + float(raw.get("start", 0.0)), offset + float(raw.get("end", 0.0))
        ),
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


class _OneWindow:
    """Stands in for the model's ``decode`` and ``forward`` during one ``whisper.transcribe`` call.

    ``decode``: the first window is decoded with the history prompt; later windows (whisper's short
    rest of the chunk) are answered "no speech", and ``calls`` tells the caller whisper wanted more.
    ``forward``: word timestamps run the whole model on the window again to read its cross-attention;
    the encoder output the decoding just computed for that same mel is reused instead of recomputed.
    """

    def __init__(self, model: Any, result_type: Any, history: list[int]) -> None:
        self.model = model
        self.result_type = result_type
        self.history = history
        self.calls = 0
        self.mel: Any = None
        self.features: Any = None

    @contextmanager
    def attached(self) -> Iterator[_OneWindow]:
        self.original_decode, self.original_forward = self.model.decode, self.model.forward
        self.model.decode, self.model.forward = self.decode, self.forward
        try:
            yield self
        finally:
            del self.model.decode, self.model.forward

    def decode(self, mel: Any, options: Any) -> Any:
        self.calls += 1
        if self.calls == 1:
            if self.history:
                options = dataclasses.replace(options, prompt=list(options.prompt or []) + self.history)
            result = self.original_decode(mel, options)
            self.mel, self.features = mel, getattr(result, "audio_features", None)
            return result
        return self.result_type(
            audio_features=mel.new_zeros(0),
            language=options.language or "en",
            tokens=[],
            avg_logprob=float("-inf"),
            no_speech_prob=1.0,
            temperature=0.0,
            compression_ratio=0.0,
        )

    def forward(self, mel: Any, tokens: Any) -> Any:
        import torch

        known = self.features is not None and self.mel is not None
        if known and mel.dim() == 3 and mel.shape[0] == 1 and torch.equal(mel[0], self.mel):
            return self.model.decoder(tokens, self.features.unsqueeze(0))
        return self.original_forward(mel, tokens)


def _next_start(raw_segments: list[dict[str, Any]], wanted_more: bool, start: int, end: int) -> int:
    """Where the next window starts: the chunk's end, or where whisper wanted to go on."""
    if not wanted_more:
        return end
    word_ends = [float(w["end"]) for raw in raw_segments for w in (raw.get("words") or [])]
    if word_ends:
        stop = word_ends[-1]
    elif raw_segments:
        stop = float(raw_segments[-1]["end"])
    else:
        return end
    following = start + round(stop * FRAMES_PER_SECOND) * HOP_SAMPLES  # on whisper's mel frames
    if following <= start:  # whisper made no progress: move on rather than loop
        following = start + SAMPLE_RATE
    return min(following, end)


def _clamp(value: float, low: float, high: float) -> float:
    return round(min(max(value, low), high), 3)


def _segment(raw: dict[str, Any], offset: float, limit: float, floor: float) -> Segment | None:
    """One whisper segment as a domain Segment, times shifted by ``offset`` and kept in order.

    Times are clamped to the chunk (``offset`` .. ``limit``) and to no earlier than ``floor`` (the end
    of what came before), so segments and words never go back in time across chunk boundaries.
    """
    text = str(raw.get("text", "")).strip()
    words: list[Word] = []
    cursor = max(offset, floor)
    for item in raw.get("words") or []:
        word = str(item.get("word", "")).strip()
        if not word:
            continue
        start = _clamp(float(item["start"]) + offset, cursor, limit)
        end = _clamp(float(item["end"]) + offset, start, limit)
        probability = item.get("probability")
        words.append(
            Word(
                start=start,
                end=end,
                word=word,
                probability=None if probability is None else round(float(probability), 4),
            )
        )
        cursor = end
    if not text and not words:
        return None
    start = _clamp(float(raw["start"]) + offset, max(offset, floor), limit)
    end = _clamp(float(raw["end"]) + offset, start, limit)
    if words:
        start = min(start, words[0].start)
        end = max(end, words[-1].end)
    return Segment(start=start, end=end, text=text, words=words)
