"""Check and decode the audio files a small business has, in-process with PyAV (no ffmpeg binary).

``inspect_audio`` is the gate ``listen submit`` calls before anything is written to the workspace:
it decodes the whole file once, streaming (memory stays flat whatever the length), and either
returns an ``AudioInfo`` or raises ``InputError(path, reason)`` with one line a person can act on.
``decode_audio`` / ``iter_audio_chunks`` give the samples transcription and playback need:
float32 in [-1, 1], 16 kHz mono by default, or every original channel (``keep_channels``) so a
stereo call recording keeps the agent and the customer apart.

What is refused, and what is imported with a notice (tests/audio/test_bad_input.py proves each):

- Refused: a missing file, a directory, a broken symlink, a special file, an empty file; a file
  whose first bytes say it is something else (text, PNG, JPEG, PDF, ZIP...); data no demuxer
  recognises (random bytes); a container with no audio track (a PNG, a silent video); a header
  with no samples after it; a clip longer than ``max_seconds`` (default 2 h).
- Refused as **truncated**: the container promises more audio than the file holds. The promise
  comes from the WAV data-chunk size, FLAC STREAMINFO, the MP4/MOV/M4A index (a cut MP4 usually
  loses its index entirely and cannot be opened: also refused), the Matroska/WebM duration, an MP3
  Xing/Info/VBRI frame count, or, for Ogg, a last page that is cut or lacks the end-of-stream
  flag. Formats without any such promise (ADTS .aac, AMR, MP3 without a Xing header) cannot be
  told from a shorter file: what decodes is imported, and a cut last frame shows as a notice.
- Imported **with a notice** (``AudioInfo.notices``): garbage after the valid frames, or damaged
  packets in the middle. Everything that decodes is kept (a customer call is worth keeping even
  when its tail is damaged); the notice says what was dropped and where, e.g. "skipped 7 damaged
  packets (about 0.2 s) from 0:03.0" or "ignored 29.3 KB of trailing data after the audio". If
  more than half of the packets are damaged the file is refused instead.

No ffmpeg log line ever reaches the terminal (PyAV leaves FFmpeg logging off by default).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from listen.audio import sniff
from listen.errors import InputError
from listen.timefmt import clock_precise as _clock

if TYPE_CHECKING:
    import av.container

_EXTENSIONS = """
    .wav .wave .w64 .flac .mp3 .m4a .m4b .aac .ogg .oga .opus .webm .weba .mka .mkv .mp4 .m4v
    .mov .3gp .3g2 .amr .aif .aiff .aifc .caf .wma .wmv .asf .avi .ac3 .au .snd .gsm
"""
AUDIO_EXTENSIONS: frozenset[str] = frozenset(_EXTENSIONS.split())  # what PyAV's FFmpeg decodes

DEFAULT_MAX_SECONDS = 7200.0
_HEAD_BYTES = 4096
_TRUNCATION_SLACK_SECONDS = 0.5  # encoder delay/padding and rounding, plus 0.2 % of the length
_TRUNCATION_SLACK_RATIO = 0.002
_TRAILING_NOTICE_BYTES = 1024  # ID3v1 / APE tags at the end of an MP3 are smaller than this
# Containers whose own header states the length of the audio (FFmpeg reads it, never estimates).
_HEADER_DURATION_CONTAINERS = ("flac", "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "aiff", "caf")
# Containers whose frames run to the end of the file, so bytes after the last frame are garbage.
_FRAMES_TO_EOF_CONTAINERS = ("flac", "mp3", "aac", "amr", "ac3", "gsm")


@dataclass(frozen=True)
class AudioInfo:
    """What ``inspect_audio`` found in a file that can be imported."""

    duration: float  # seconds actually decodable
    sample_rate: int  # original rate
    channels: int  # original channel count
    codec: str  # e.g. "pcm_mulaw", "mp3", "aac", "opus"
    container: str  # e.g. "wav", "mp3", "mov,mp4,m4a,3gp,3g2,mj2"
    notices: tuple[str, ...] = ()  # what was skipped or odd, one sentence each


# --------------------------------------------------------------------------- public API


def inspect_audio(path: Path, *, max_seconds: float = DEFAULT_MAX_SECONDS) -> AudioInfo:
    """Decode ``path`` once, streaming, and describe it. InputError if it cannot be imported."""
    path = Path(path)
    size = _check_file(path)
    container = _open(path)
    try:
        stream = _audio_stream(path, container)
        notices: list[str] = []
        if len(container.streams.audio) > 1:
            notices.append(
                f"the file has {len(container.streams.audio)} audio tracks; "
                f"only track {stream.index + 1} is used"
            )
        kind = container.format.name
        declared = _declared_seconds(path, size, kind, container, stream)
        if declared is not None and declared > max_seconds + 1.0:
            raise InputError(path, _too_long(declared, max_seconds))
        tally = _Tally()
        for frame in _decoded_frames(container, stream, tally):
            tally.seconds += frame.samples / (frame.sample_rate or stream.sample_rate or 1)
            if tally.seconds > max_seconds + 1.0:
                raise InputError(path, _too_long(tally.seconds, max_seconds))
        if tally.seconds <= 0.0:
            _refuse_if_truncated(path, size, kind, declared, 0.0)
            raise InputError(path, _no_samples_reason(tally))
        if tally.packets_bad > tally.packets_ok:
            raise InputError(
                path,
                f"mostly undecodable: {tally.packets_bad} of "
                f"{tally.packets_bad + tally.packets_ok} audio packets are damaged",
            )
        _refuse_if_truncated(path, size, kind, declared, tally.seconds)
        notices.extend(tally.notices())
        notices.extend(_trailing_notices(path, size, kind, tally, stream))
        codec_context = stream.codec_context
        return AudioInfo(
            duration=round(tally.seconds, 6),
            sample_rate=int(codec_context.sample_rate or stream.sample_rate or 0),
            channels=int(codec_context.channels or 0),
            codec=str(getattr(codec_context.codec, "canonical_name", None) or codec_context.name),
            container=kind,
            notices=tuple(notices),
        )
    finally:
        container.close()


def decode_audio(path: Path, *, sample_rate: int = 16000, keep_channels: bool = False) -> np.ndarray:
    """The whole file as float32 in [-1, 1]: shape (n,) mono, or (channels, n) with keep_channels.

    Damaged packets are skipped (as ``inspect_audio`` reported). The result is written into one
    preallocated buffer sized from the container's duration, so peak memory is about the size of
    the result, not twice it.
    """
    path = Path(path)
    _check_file(path)
    container = _open(path)
    try:
        stream = _audio_stream(path, container)
        expected = container.duration / 1_000_000 if container.duration else 60.0
        expected = min(expected, _PREALLOCATE_MAX_SECONDS)  # a damaged header may claim days
        buffer: _Growable | None = None
        for block in _resampled_blocks(container, stream, sample_rate, keep_channels):
            if buffer is None:
                capacity = int(expected * sample_rate * 1.02) + sample_rate
                buffer = _Growable(block.shape[0], capacity)
            buffer.append(block)
    finally:
        container.close()
    if buffer is None or buffer.size == 0:
        raise InputError(path, "no audio samples could be decoded")
    result = buffer.finish()
    return result[0] if not keep_channels else result


def iter_audio_chunks(
    path: Path,
    *,
    sample_rate: int = 16000,
    chunk_seconds: float = 30.0,
    keep_channels: bool = False,
) -> Iterator[np.ndarray]:
    """Yield the file in consecutive chunks of ``chunk_seconds`` (the last one may be shorter).

    Same samples as ``decode_audio``, but only one chunk is held at a time.
    """
    path = Path(path)
    _check_file(path)
    chunk_samples = max(1, round(chunk_seconds * sample_rate))
    container = _open(path)
    try:
        stream = _audio_stream(path, container)
        chunk: np.ndarray | None = None
        filled = 0
        for block in _resampled_blocks(container, stream, sample_rate, keep_channels):
            offset = 0
            while offset < block.shape[1]:
                if chunk is None:
                    chunk = np.empty((block.shape[0], chunk_samples), dtype=np.float32)
                    filled = 0
                take = min(chunk_samples - filled, block.shape[1] - offset)
                chunk[:, filled : filled + take] = block[:, offset : offset + take]
                filled += take
                offset += take
                if filled == chunk_samples:
                    yield chunk if keep_channels else chunk[0]
                    chunk = None
        if chunk is not None and filled:
            tail = chunk[:, :filled]
            yield tail if keep_channels else tail[0]
    finally:
        container.close()


def resample_audio(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Samples (shape (n,) or (channels, n), float) at another rate, with FFmpeg's resampler."""
    if from_rate == to_rate:
        return np.asarray(samples, dtype=np.float32)
    data = np.atleast_2d(np.asarray(samples, dtype=np.float32))
    channels = data.shape[0]
    layout = {1: "mono", 2: "stereo"}.get(channels, f"{channels} channels")
    batcher = _Batcher(from_rate, to_rate, channels, layout)
    blocks = [*batcher.push(list(data), 1.0), *batcher.finish()]
    if not blocks:
        return np.zeros((channels, 0) if np.ndim(samples) > 1 else 0, dtype=np.float32)
    out = np.concatenate(blocks, axis=1)
    return out if np.ndim(samples) > 1 else out[0]


# --------------------------------------------------------------------------- opening


def _check_file(path: Path) -> int:
    """Refuse what is not a readable, non-empty regular file. Returns its size in bytes."""
    link = _describe_link(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if link is not None:
            raise InputError(path, f"broken symlink: {link} does not exist") from None
        raise InputError(path, "file not found") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    prefix = f"symlink to {link}, which is " if link is not None else ""
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, f"{prefix or 'is '}a directory, not an audio file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, f"{prefix or 'is '}not a regular file (a device, pipe or socket)")
    if info.st_size == 0:
        raise InputError(path, f"{prefix}empty file (0 bytes)")
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    what = sniff.describe_non_audio(head)
    if what is not None:
        raise InputError(path, f"{prefix or 'is '}{what}, not audio")
    if not head.strip(b"\0"):  # before FFmpeg, which would scan every byte for a frame
        zeros = sniff.zero_prefix(path, info.st_size)
        if zeros is not None:
            what = "it is all" if zeros == info.st_size else f"its first {_kilobytes(zeros)} are"
            raise InputError(path, f"{prefix}not audio: {what} zero bytes (an empty or sparse file)")
    return info.st_size


def _describe_link(path: Path) -> str | None:
    if not path.is_symlink():
        return None
    try:
        return os.readlink(path)
    except OSError:
        return "an unreadable target"


def _open(path: Path) -> av.container.InputContainer:
    import av

    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as error:
        raise InputError(path, _unopenable_reason(path, error)) from None


def _unopenable_reason(path: Path, error: Exception) -> str:
    """Why FFmpeg could not open the file, in the user's words."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(64)
    wav = sniff.read_wav_layout(path, size)
    if wav is not None:
        if wav.data_present == 0:
            return "has no audio samples (a WAV header with an empty data chunk)"
        return "damaged WAV file: the header cannot be read"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "damaged WAV file: no data chunk (truncated header?)"
    if head[4:8] == b"ftyp":
        return "damaged or truncated MP4/M4A/MOV file: its index (moov atom) is missing"
    if head[:4] == b"fLaC":
        return "damaged FLAC file: cannot read its stream header"
    if head[:3] == b"ID3":
        return "no MP3 audio frames found after the ID3 tag"
    import av

    if isinstance(error, av.error.EOFError) and head[:4] in (b"OggS", b"\x1aE\xdf\xa3"):
        return "ends before any audio (empty or truncated header)"
    del error  # FFmpeg's own text ("Invalid data found when processing input") helps no one
    return "not a recognised audio format (unknown or damaged data)"


def _audio_stream(path: Path, container: av.container.InputContainer) -> Any:
    if not container.streams.audio:
        if container.streams.video:
            return _raise(path, "has no audio track (video or image only)")
        return _raise(path, "has no audio track")
    stream: Any = container.streams.best("audio") or container.streams.audio[0]
    if not (stream.codec_context.sample_rate or stream.sample_rate):
        return _raise(path, "has an audio track with no sample rate (damaged header)")
    return stream


def _raise(path: Path, reason: str) -> Any:
    raise InputError(path, reason)


# --------------------------------------------------------------------------- decoding


@dataclass
class _Tally:
    """What a streaming decode saw: good and damaged packets, seconds decoded, where it stopped."""

    seconds: float = 0.0
    packets_ok: int = 0
    packets_bad: int = 0
    bad_bytes: int = 0
    bad_seconds: float = 0.0
    first_bad_at: float | None = None
    demux_error_at: float | None = None
    last_good_end: int | None = None  # byte offset just past the last packet that decoded
    last_good_size: int = 0
    reasons: list[str] = field(default_factory=list)

    def notices(self) -> list[str]:
        found: list[str] = []
        if self.packets_bad:
            where = _clock(self.first_bad_at or 0.0)
            about = f"about {self.bad_seconds:.1f} s, " if self.bad_seconds >= 0.05 else ""
            found.append(
                f"skipped {self.packets_bad} damaged packet{'s' * (self.packets_bad > 1)} "
                f"({about}{_kilobytes(self.bad_bytes)}) from {where}"
            )
        if self.demux_error_at is not None:
            found.append(f"stopped reading at {_clock(self.demux_error_at)}: the rest is damaged")
        return found


def _decoded_frames(container: av.container.InputContainer, stream: Any, tally: _Tally) -> Iterator[Any]:
    """Every frame that decodes, skipping damaged packets (counted in ``tally``)."""
    import av

    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
        except StopIteration:
            return
        except (av.FFmpegError, OSError) as error:
            tally.demux_error_at = tally.seconds
            tally.reasons.append(str(error))
            return
        try:
            frames = packet.decode()
        except (av.FFmpegError, ValueError) as error:
            if packet.size:
                tally.packets_bad += 1
                tally.bad_bytes += packet.size
                if packet.duration and packet.time_base:
                    tally.bad_seconds += float(packet.duration * packet.time_base)
                if tally.first_bad_at is None:
                    tally.first_bad_at = tally.seconds
                tally.reasons.append(str(error))
            continue
        if packet.size:
            tally.packets_ok += 1
            if packet.pos is not None and packet.pos >= 0:
                tally.last_good_end = packet.pos + packet.size
            tally.last_good_size = packet.size
        yield from frames


_SAMPLE_TYPES: dict[str, tuple[type[np.generic], float]] = {
    "flt": (np.float32, 1.0),
    "dbl": (np.float64, 1.0),
    "s16": (np.int16, 1.0 / 32768.0),
    "s32": (np.int32, 1.0 / 2147483648.0),
}
_BATCH_SECONDS = 8.0  # resample in blocks this long: per-frame resampling costs 3x the decode
_PREALLOCATE_MAX_SECONDS = 3 * 3600.0  # longer files grow the buffer instead


def _resampled_blocks(
    container: av.container.InputContainer,
    stream: Any,
    sample_rate: int,
    keep_channels: bool,
) -> Iterator[np.ndarray]:
    """Decoded audio as (channels, n) float32 blocks at ``sample_rate``, clipped to [-1, 1].

    Decoded frames (about 1000 samples each) are converted to float and gathered at their own
    rate into blocks of a few seconds, then each block goes through one FFmpeg resampler call.
    Without ``keep_channels`` the channels are averaged (FFmpeg's own downmix adds them at
    -3 dB, which clips a loud dual-mono call recording).
    """
    tally = _Tally()
    batcher: _Batcher | None = None
    fallback: Any = None  # a format-only resampler for unusual sample formats (u8, s64...)
    for frame in _decoded_frames(container, stream, tally):
        rows, scale, fallback = _frame_rows(frame, fallback)
        if batcher is None:
            channels = len(rows) if keep_channels else 1
            layout = frame.layout.name if keep_channels else "mono"
            batcher = _Batcher(frame.sample_rate, sample_rate, channels, layout)
        elif frame.sample_rate != batcher.in_rate:
            yield from batcher.finish()
            batcher = _Batcher(frame.sample_rate, sample_rate, batcher.channels, batcher.layout)
        yield from batcher.push(rows, scale)
    if batcher is not None:
        yield from batcher.finish()


def _frame_rows(frame: Any, fallback: Any) -> tuple[list[np.ndarray], float, Any]:
    """One array per channel, viewing the frame's memory (no copy), and the scale to [-1, 1]."""
    name = frame.format.name
    planar = name.endswith("p")
    kind = _SAMPLE_TYPES.get(name[:-1] if planar else name)
    if kind is None:
        import av

        if fallback is None:
            fallback = av.AudioResampler(format="fltp", layout=frame.layout.name, rate=frame.sample_rate)
        converted = fallback.resample(frame)
        rows = [row for out in converted for row in out.to_ndarray()]
        if len(converted) > 1:  # never for a format-only conversion, but keep channels whole
            width = len(converted[0].to_ndarray())
            rows = [np.concatenate(rows[k::width]) for k in range(width)]
        return rows, 1.0, fallback
    dtype, scale = kind
    count = frame.samples
    channels = frame.layout.nb_channels
    if planar:
        return [np.frombuffer(plane, dtype, count) for plane in frame.planes], scale, fallback
    packed = np.frombuffer(frame.planes[0], dtype, count * channels).reshape(count, channels)
    return [packed[:, k] for k in range(channels)], scale, fallback


class _Batcher:
    """Gathers native-rate samples into blocks and resamples each block in one call.

    Per decoded frame it only copies each channel into place; scaling to [-1, 1], averaging the
    channels to mono and resampling happen once per block, vectorised.
    """

    def __init__(self, in_rate: int, out_rate: int, channels: int, layout: str) -> None:
        self.in_rate = in_rate
        self.out_rate = out_rate
        self.channels = channels  # channels out: 1 when mixing to mono
        self.layout = layout
        self.capacity = max(1024, int(in_rate * _BATCH_SECONDS))
        self.block: np.ndarray | None = None  # (channels in, capacity), raw sample values
        self.filled = 0
        self.scale = 1.0
        self.resampler: Any = None

    def push(self, rows: list[np.ndarray], scale: float) -> Iterator[np.ndarray]:
        if self.block is None:
            self.block = np.empty((len(rows), self.capacity), dtype=np.float32)
            self.scale = scale
        elif scale != self.scale:  # the sample format changed mid-stream
            yield from self._flush()
            self.scale = scale
        count = len(rows[0])
        offset = 0
        while offset < count:
            take = min(self.capacity - self.filled, count - offset)
            target = self.block[:, self.filled : self.filled + take]
            if len(rows) == len(target):
                for k, row in enumerate(rows):
                    target[k] = row[offset : offset + take]
            else:  # the channel count changed mid-stream: mix down, copy to every channel
                parts = [row[offset : offset + take] for row in rows]
                target[:] = np.mean(np.asarray(parts, dtype=np.float32), axis=0)
            offset += take
            self.filled += take
            if self.filled == self.capacity:
                yield from self._flush()

    def finish(self) -> Iterator[np.ndarray]:
        yield from self._flush()
        if self.resampler is not None:
            yield from _clipped(self.resampler.resample(None))

    def _flush(self) -> Iterator[np.ndarray]:
        if self.block is None or not self.filled:
            return
        data = self.block[:, : self.filled]
        if self.channels == 1 and len(data) > 1:
            mixed = np.add.reduce(data, axis=0, keepdims=True)
            mixed *= self.scale / len(data)
            data = mixed
        else:
            if self.scale != 1.0:
                data *= self.scale
            if self.filled < self.capacity or len(data) > 1:
                data = np.ascontiguousarray(data)
        self.block = np.empty_like(self.block)
        self.filled = 0
        yield from self._convert(data)

    def _convert(self, block: np.ndarray) -> Iterator[np.ndarray]:
        if self.in_rate == self.out_rate:
            np.clip(block, -1.0, 1.0, out=block)
            yield block
            return
        import av

        if self.resampler is None:
            self.resampler = av.AudioResampler(format="fltp", layout=self.layout, rate=self.out_rate)
        frame = av.AudioFrame.from_ndarray(block, format="fltp", layout=self.layout)
        frame.sample_rate = self.in_rate
        yield from _clipped(self.resampler.resample(frame))


def _clipped(frames: list[Any]) -> Iterator[np.ndarray]:
    for frame in frames:
        block = frame.to_ndarray()
        np.clip(block, -1.0, 1.0, out=block)
        yield block


class _Growable:
    """A (channels, capacity) float32 buffer filled left to right, grown by doubling if needed."""

    def __init__(self, channels: int, capacity: int) -> None:
        self.data = np.empty((channels, max(capacity, 1)), dtype=np.float32)
        self.size = 0

    def append(self, block: np.ndarray) -> None:
        end = self.size + block.shape[1]
        if end > self.data.shape[1]:
            grown = np.empty((self.data.shape[0], max(end, 2 * self.data.shape[1])), np.float32)
            grown[:, : self.size] = self.data[:, : self.size]
            self.data = grown
        self.data[:, self.size : end] = block
        self.size = end

    def finish(self) -> np.ndarray:
        if self.data.shape[0] == 1:
            # shrink in place (no second copy of a long recording)
            self.data.resize((1, self.size), refcheck=False)
            return self.data
        return np.ascontiguousarray(self.data[:, : self.size])


# --------------------------------------------------------------------------- checks


def _declared_seconds(
    path: Path, size: int, kind: str, container: av.container.InputContainer, stream: Any
) -> float | None:
    """How long the container's header says the audio is, when it says so (not an estimate)."""
    if kind == "wav":
        wav = sniff.read_wav_layout(path, size)
        if wav is None or wav.data_size is None or wav.byte_rate <= 0:
            return None
        return wav.data_size / wav.byte_rate
    if kind == "mp3":
        return sniff.mp3_declared_seconds(path)
    if kind in _HEADER_DURATION_CONTAINERS:
        if stream.duration and stream.time_base:
            return float(stream.duration * stream.time_base)
        if container.duration:
            return container.duration / 1_000_000
    return None


def _refuse_if_truncated(path: Path, size: int, kind: str, declared: float | None, decoded: float) -> None:
    if kind == "ogg":
        tail = sniff.read_ogg_tail(path, size)
        if tail is not None and not tail.complete:
            raise InputError(
                path, f"truncated: the Ogg stream stops at {_clock(decoded)} without its last page"
            )
        return
    if declared is None:
        return
    slack = _TRUNCATION_SLACK_SECONDS + _TRUNCATION_SLACK_RATIO * declared
    if declared - decoded > slack:
        raise InputError(
            path,
            f"truncated: the header promises {_clock(declared)} of audio but only {_clock(decoded)} is there",
        )


def _trailing_notices(path: Path, size: int, kind: str, tally: _Tally, stream: Any) -> list[str]:
    """Say so when bytes after the audio were ignored (garbage appended to a valid file)."""
    trailing = 0
    if kind == "wav":
        wav = sniff.read_wav_layout(path, size)
        trailing = wav.trailing_bytes if wav is not None else 0
    elif kind == "ogg":
        tail = sniff.read_ogg_tail(path, size)
        trailing = tail.trailing_bytes if tail is not None else 0
    elif kind in _FRAMES_TO_EOF_CONTAINERS and tally.last_good_end is not None:
        trailing = size - tally.last_good_end
        if tally.packets_bad:
            trailing = max(0, trailing - tally.bad_bytes)  # already said in the packets notice
        if kind == "flac":
            trailing += _flac_excess_in_last_frame(stream, tally.last_good_size)
    if trailing <= _TRAILING_NOTICE_BYTES:
        return []
    return [f"ignored {_kilobytes(trailing)} of trailing data after the audio"]


def _flac_excess_in_last_frame(stream: Any, last_size: int) -> int:
    """FFmpeg's FLAC parser hands garbage at the end over as part of the last frame (which still
    decodes): anything beyond the largest frame size in STREAMINFO is not audio."""
    extradata = stream.codec_context.extradata or b""
    if len(extradata) < 10:
        return 0
    max_frame = int.from_bytes(extradata[7:10], "big")
    return max(0, last_size - max_frame) if max_frame else 0


# --------------------------------------------------------------------------- wording


def _too_long(seconds: float, max_seconds: float) -> str:
    return f"too long: {_clock(seconds)} of audio, the limit is {_clock(max_seconds)}"


def _no_samples_reason(tally: _Tally) -> str:
    if tally.packets_bad:
        return f"no decodable audio: all {tally.packets_bad} audio packets are damaged"
    return "has no audio samples (the header is there but no audio follows)"


def _kilobytes(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"
