"""Make real media files for the audio tests with PyAV (the same library the app decodes with).

Every function writes a file into a directory the test gives (``tmp_path``); nothing is kept in
the repository. Signals are deterministic: sine tones, chirps and seeded noise.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


@dataclass(frozen=True)
class MediaKind:
    """How to write one kind of file: container, audio codec, and what the file should report."""

    key: str
    suffix: str
    container: str
    codec: str
    rate: int | None = None  # force this sample rate (telephony codecs, Opus)
    mono: bool = False  # the codec only takes one channel
    video: str | None = None  # add a video track with this codec
    codec_name: str | None = None  # what the decoder reports, when it differs from ``codec``
    options: tuple[tuple[str, str], ...] = ()


KINDS: dict[str, MediaKind] = {
    kind.key: kind
    for kind in (
        MediaKind("wav_pcm16", ".wav", "wav", "pcm_s16le"),
        MediaKind("wav_mulaw", ".wav", "wav", "pcm_mulaw", rate=8000, mono=True),
        MediaKind("wav_alaw", ".wav", "wav", "pcm_alaw", rate=8000, mono=True),
        MediaKind("flac", ".flac", "flac", "flac"),
        MediaKind("mp3", ".mp3", "mp3", "libmp3lame", codec_name="mp3"),
        MediaKind("m4a", ".m4a", "ipod", "aac"),
        MediaKind("aac", ".aac", "adts", "aac"),
        MediaKind("ogg_opus", ".opus", "ogg", "libopus", rate=48000, codec_name="opus"),
        MediaKind("ogg_vorbis", ".ogg", "ogg", "vorbis", options=(("strict", "experimental"),)),
        MediaKind("webm_opus", ".webm", "webm", "libopus", rate=48000, codec_name="opus"),
        MediaKind("mp4_video", ".mp4", "mp4", "aac", video="mpeg4"),
        MediaKind("mov_video", ".mov", "mov", "aac", video="mjpeg"),
        MediaKind(
            "3gp_amr",
            ".3gp",
            "3gp",
            "libopencore_amrnb",
            rate=8000,
            mono=True,
            codec_name="amr_nb",
        ),
    )
}


def tone(seconds: float, rate: int, channels: int = 1, freq: float = 440.0) -> np.ndarray:
    """A sine tone, amplitude 0.5, shape (channels, n); channel k is at ``freq * (k + 1)``."""
    t = np.arange(round(seconds * rate), dtype=np.float64) / rate
    rows = [0.5 * np.sin(2 * np.pi * freq * (k + 1) * t) for k in range(channels)]
    return np.asarray(rows, dtype=np.float32)


def chirp(seconds: float, rate: int, f0: float = 200.0, f1: float = 3000.0) -> np.ndarray:
    """A linear sweep, amplitude 0.5, shape (n,): has one sharp correlation peak."""
    t = np.arange(round(seconds * rate), dtype=np.float64) / rate
    phase = 2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds))
    return (0.5 * np.sin(phase)).astype(np.float32)


def noise_bursts(seconds: float, rate: int, seed: int = 7) -> np.ndarray:
    """Seeded band-limited noise in bursts (speech-like envelope), shape (n,), peak < 0.9."""
    rng = np.random.default_rng(seed)
    n = round(seconds * rate)
    white = rng.standard_normal(n)
    kernel = np.hanning(9)
    kernel /= kernel.sum()
    smooth = np.convolve(white, kernel, mode="same")
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3.0 * np.arange(n) / rate)
    signal = smooth * envelope
    return (0.8 * signal / np.max(np.abs(signal))).astype(np.float32)


def write_media(
    path: Path,
    samples: np.ndarray,
    rate: int,
    kind: MediaKind | str,
) -> Path:
    """Encode ``samples`` (shape (n,) or (channels, n), float32) at ``rate`` into ``path``."""
    if isinstance(kind, str):
        kind = KINDS[kind]
    data = np.atleast_2d(np.asarray(samples, dtype=np.float32))
    if kind.mono and data.shape[0] > 1:
        data = data.mean(axis=0, keepdims=True)
    channels = data.shape[0]
    layout = "mono" if channels == 1 else "stereo"
    out_rate = kind.rate or rate
    with av.open(str(path), "w", format=kind.container) as out:
        stream = out.add_stream(kind.codec, rate=out_rate, options=dict(kind.options))
        stream.layout = layout
        video = None
        if kind.video:
            video = out.add_stream(kind.video, rate=5)
            video.width, video.height = 64, 48
            video.pix_fmt = "yuvj420p" if kind.video == "mjpeg" else "yuv420p"
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format="fltp", layout=layout)
        frame.sample_rate = rate
        codec_formats = [f.name for f in stream.codec_context.codec.audio_formats or []]
        fmt = "fltp" if "fltp" in codec_formats else codec_formats[0]
        frame_size = stream.codec_context.frame_size or 1024
        resampler = av.AudioResampler(format=fmt, layout=layout, rate=out_rate, frame_size=frame_size)
        out.start_encoding()  # writes the header even when there are no samples
        pts = 0
        chunks = resampler.resample(frame) if data.shape[1] else []
        for chunk in [*chunks, *resampler.resample(None)]:
            chunk.pts = pts
            chunk.time_base = Fraction(1, out_rate)
            pts += chunk.samples
            out.mux(stream.encode(chunk))
        out.mux(stream.encode(None))
        if video is not None:
            seconds = data.shape[1] / rate
            for i in range(max(1, int(seconds * 5))):
                image = np.full((48, 64, 3), (i * 7) % 255, dtype=np.uint8)
                vframe = av.VideoFrame.from_ndarray(image, format="rgb24")
                vframe.pts = i
                out.mux(video.encode(vframe.reformat(format=video.pix_fmt)))
            out.mux(video.encode(None))
    return path


def wav_header(
    *,
    rate: int,
    channels: int,
    bits: int = 16,
    data_bytes: int,
    format_tag: int = 1,
) -> bytes:
    """A canonical 44-byte RIFF/WAVE header (format_tag 1 PCM, 6 A-law, 7 mu-law)."""
    block = channels * bits // 8
    return (
        b"RIFF"
        + struct.pack("<I", min(36 + data_bytes, 0xFFFFFFFF))
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, format_tag, channels, rate, rate * block, block, bits)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def mulaw_encode(samples: np.ndarray) -> bytes:
    """G.711 mu-law bytes for float samples in [-1, 1] (the standard continuous formula)."""
    x = np.clip(samples.astype(np.float64), -1.0, 1.0)
    mu = 255.0
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    q = np.round((y + 1.0) / 2.0 * 255.0).astype(np.int16)
    # G.711 stores the ones' complement, with 0xFF as the smallest positive value
    code = np.where(q >= 128, 255 - (q - 128), 127 - q).astype(np.uint8)
    return code.tobytes()


def write_long_mulaw_wav(path: Path, seconds: int, rate: int = 8000) -> Path:
    """A long 8 kHz mu-law WAV written one second at a time (about 28.8 MB per hour)."""
    second = mulaw_encode(tone(1.0, rate)[0])
    with open(path, "wb") as handle:
        handle.write(wav_header(rate=rate, channels=1, bits=8, data_bytes=seconds * rate, format_tag=7))
        for _ in range(seconds):
            handle.write(second)
    return path


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A small valid PNG image (grey), built with zlib."""
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def write_video_only(path: Path, seconds: float = 1.0) -> Path:
    """An MP4 with a video track and no audio track."""
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("mpeg4", rate=5)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        for i in range(max(1, int(seconds * 5))):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i, np.uint8), format="rgb24")
            frame.pts = i
            out.mux(video.encode(frame.reformat(format="yuv420p")))
        out.mux(video.encode(None))
    return path


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    """The frequency (Hz) of the strongest FFT bin of a 1-D signal."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * rate / len(samples))


def best_match(recording: np.ndarray, reference: np.ndarray) -> tuple[int, float]:
    """Where ``reference`` sits in ``recording`` and how well it matches there.

    Returns (offset in samples, normalised correlation in [-1, 1]): 1.0 is an exact copy at any
    gain. FFT-based, so seconds of audio take milliseconds.
    """
    recording = np.asarray(recording, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if len(recording) < len(reference):
        return 0, 0.0
    size = 1 << int(np.ceil(np.log2(len(recording) + len(reference))))
    cross = np.fft.irfft(np.fft.rfft(recording, size) * np.conj(np.fft.rfft(reference, size)), size)
    valid = cross[: len(recording) - len(reference) + 1]
    energy = np.concatenate(([0.0], np.cumsum(recording * recording)))
    window = energy[len(reference) :] - energy[: len(recording) - len(reference) + 1]
    norms = np.sqrt(np.maximum(window, 1e-12)) * np.linalg.norm(reference)
    scores = valid / norms
    offset = int(np.argmax(scores))
    return offset, float(scores[offset])
