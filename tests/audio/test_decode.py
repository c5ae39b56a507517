"""Real decoding of real files in every format a small business has (made with PyAV in the test)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from listen.audio.decode import AUDIO_EXTENSIONS, decode_audio, inspect_audio, iter_audio_chunks
from tests.audio.conftest import SECONDS
from tests.audio.media import KINDS, dominant_frequency, tone, wav_header, write_media

# What each kind must report: (sample rate, channels, codec, container)
EXPECTED = {
    "wav_pcm16": (44100, 2, "pcm_s16le", "wav"),
    "wav_mulaw": (8000, 1, "pcm_mulaw", "wav"),
    "wav_alaw": (8000, 1, "pcm_alaw", "wav"),
    "flac": (44100, 2, "flac", "flac"),
    "mp3": (44100, 2, "mp3", "mp3"),
    "m4a": (44100, 2, "aac", "mov,mp4,m4a,3gp,3g2,mj2"),
    "aac": (44100, 2, "aac", "aac"),
    "ogg_opus": (48000, 2, "opus", "ogg"),
    "ogg_vorbis": (44100, 2, "vorbis", "ogg"),
    "webm_opus": (48000, 2, "opus", "matroska,webm"),
    "mp4_video": (44100, 2, "aac", "mov,mp4,m4a,3gp,3g2,mj2"),
    "mov_video": (44100, 2, "aac", "mov,mp4,m4a,3gp,3g2,mj2"),
    "3gp_amr": (8000, 1, "amr_nb", "mov,mp4,m4a,3gp,3g2,mj2"),
}
DURATION_TOLERANCE = 0.06  # AAC priming and ADTS framing add up to ~45 ms


def test_every_kind_has_expectations() -> None:
    assert set(EXPECTED) == set(KINDS)
    assert {kind.suffix for kind in KINDS.values()} <= AUDIO_EXTENSIONS


@pytest.mark.parametrize("key", sorted(KINDS))
def test_inspect_reports_the_file(media, key: str) -> None:
    info = inspect_audio(media(key))
    rate, channels, codec, container = EXPECTED[key]
    assert info.duration == pytest.approx(SECONDS, abs=DURATION_TOLERANCE)
    assert (info.sample_rate, info.channels, info.codec, info.container) == (
        rate,
        channels,
        codec,
        container,
    )
    assert info.notices == ()


@pytest.mark.parametrize("key", sorted(KINDS))
def test_decode_gives_16k_mono_float_with_the_tones(media, key: str) -> None:
    samples = decode_audio(media(key))
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert len(samples) == pytest.approx(SECONDS * 16000, abs=DURATION_TOLERANCE * 16000)
    assert np.all(np.abs(samples) <= 1.0)
    assert 0.1 < np.sqrt(np.mean(samples**2)) < 0.6  # the tone is there, not silence or noise
    peak = dominant_frequency(samples[1600:-1600], 16000)
    # mono = mean of the 440 Hz and 880 Hz channels: the strongest bin is one of them
    assert min(abs(peak - 440), abs(peak - 880)) < 5


@pytest.mark.parametrize("key", sorted(k for k in KINDS if not KINDS[k].mono))
def test_keep_channels_keeps_agent_and_customer_apart(media, key: str) -> None:
    samples = decode_audio(media(key), keep_channels=True)
    assert samples.shape[0] == 2
    assert samples.dtype == np.float32
    assert dominant_frequency(samples[0, 1600:-1600], 16000) == pytest.approx(440, abs=5)
    assert dominant_frequency(samples[1, 1600:-1600], 16000) == pytest.approx(880, abs=5)


@pytest.mark.parametrize("key", ["mp3", "wav_mulaw", "ogg_opus", "flac"])
def test_chunks_add_up_to_the_whole_decode(media, key: str) -> None:
    whole = decode_audio(media(key), keep_channels=True)
    chunks = list(iter_audio_chunks(media(key), chunk_seconds=0.7, keep_channels=True))
    assert all(chunk.shape[1] == round(0.7 * 16000) for chunk in chunks[:-1])
    assert 0 < chunks[-1].shape[1] <= round(0.7 * 16000)
    np.testing.assert_array_equal(np.concatenate(chunks, axis=1), whole)
    mono_chunks = list(iter_audio_chunks(media(key), chunk_seconds=1.0))
    assert mono_chunks[0].ndim == 1
    np.testing.assert_array_equal(np.concatenate(mono_chunks), decode_audio(media(key)))


def test_decode_to_another_rate(media) -> None:
    samples = decode_audio(media("flac"), sample_rate=8000)
    assert len(samples) == pytest.approx(SECONDS * 8000, abs=10)
    assert dominant_frequency(samples[800:-800], 8000) in (
        pytest.approx(440, abs=5),
        pytest.approx(880, abs=5),
    )


def test_loud_dual_mono_is_averaged_not_clipped(tmp_path: Path) -> None:
    """Both channels the same at 0.9: FFmpeg's -3 dB downmix would sum to 1.27 and clip."""
    same = np.repeat(tone(1.0, 16000)[:1] * 1.8, 2, axis=0)  # amplitude 0.9 on both channels
    path = write_media(tmp_path / "dual.wav", same, 16000, "wav_pcm16")
    samples = decode_audio(path)
    assert np.max(np.abs(samples)) == pytest.approx(0.9, abs=0.01)


def test_open_ended_wav_header_from_a_live_recorder(tmp_path: Path) -> None:
    """A WAV whose data size is still 0 (recorder never closed it) decodes to the end of file."""
    body = (np.round(tone(2.0, 8000)[0] * 32767).astype("<i2")).tobytes()
    path = tmp_path / "live.wav"
    path.write_bytes(wav_header(rate=8000, channels=1, data_bytes=0) + body)
    assert inspect_audio(path).duration == pytest.approx(2.0, abs=0.001)
    assert len(decode_audio(path)) == 32000


def test_symlink_to_audio_is_followed(media, tmp_path: Path) -> None:
    link = tmp_path / "call.mp3"
    link.symlink_to(media("mp3"))
    assert inspect_audio(link).duration == pytest.approx(SECONDS, abs=DURATION_TOLERANCE)
