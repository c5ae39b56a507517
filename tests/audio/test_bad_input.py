"""Every kind of bad input from the issue gets one clear line naming the file and the reason.

Policy (see the listen.audio.decode docstring): garbage after valid frames and damaged packets are
imported with a notice saying what was dropped; truncated files, non-audio and empty audio are
refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from listen.audio.decode import decode_audio, inspect_audio
from listen.errors import InputError, ListenError
from tests.audio.conftest import SECONDS
from tests.audio.media import (
    KINDS,
    png_bytes,
    tone,
    wav_header,
    write_long_mulaw_wav,
    write_media,
    write_video_only,
)

RNG_SEED = 20240601


def refused(path: Path, **kwargs: float) -> str:
    """The reason inspect_audio gives; checks the one-line 'PATH: reason' shape."""
    with pytest.raises(InputError) as caught:
        inspect_audio(path, **kwargs)
    error = caught.value
    assert isinstance(error, ListenError)
    assert str(error) == f"{path}: {error.reason}"
    assert "\n" not in str(error)
    assert error.reason[:1].islower()
    return error.reason


def random_bytes(count: int) -> bytes:
    return np.random.default_rng(RNG_SEED).integers(0, 256, count, dtype=np.uint8).tobytes()


# --------------------------------------------------------------------------- not a file


def test_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "nope.wav") == "file not found"


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "calls.wav"
    folder.mkdir()
    assert refused(folder) == "is a directory, not an audio file"


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "call.wav"
    link.symlink_to(tmp_path / "gone.wav")
    assert refused(link) == f"broken symlink: {tmp_path / 'gone.wav'} does not exist"


def test_symlink_to_a_text_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("Customer called about the refund.\n" * 20)
    link = tmp_path / "call.wav"
    link.symlink_to(target)
    assert refused(link) == f"symlink to {target}, which is a text file, not audio"


def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    pipe = tmp_path / "call.wav"
    os.mkfifo(pipe)
    assert "not a regular file" in refused(pipe)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_bytes(b"")
    assert refused(path) == "empty file (0 bytes)"


# --------------------------------------------------------------------------- not audio


@pytest.mark.parametrize("name", ["call.wav", "call.mp3", "call.m4a", "call.ogg"])
def test_random_bytes_with_an_audio_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(random_bytes(50_000))
    assert refused(path) == "not a recognised audio format (unknown or damaged data)"


def test_text_renamed_to_wav(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_text("Hi team, the customer wants a refund. — Ana\n" * 50, encoding="utf-8")
    assert refused(path) == "is a text file, not audio"


def test_png_with_an_audio_name(tmp_path: Path) -> None:
    path = tmp_path / "call.mp3"
    path.write_bytes(png_bytes())
    assert refused(path) == "is a PNG image, not audio"


def test_video_without_sound(tmp_path: Path) -> None:
    path = write_video_only(tmp_path / "screen.mp4")
    assert refused(path) == "has no audio track (video or image only)"


# --------------------------------------------------------------------------- no samples


def test_wav_header_with_no_samples(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_bytes(wav_header(rate=8000, channels=1, data_bytes=0))
    assert refused(path) == "has no audio samples (the header is there but no audio follows)"


def test_wav_header_promising_samples_that_are_not_there(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_bytes(wav_header(rate=8000, channels=1, data_bytes=48000))
    assert refused(path) == "truncated: the header promises 0:03.0 of audio but only 0:00.0 is there"


@pytest.mark.parametrize("key", ["flac", "ogg_opus", "mp3", "m4a"])
def test_container_with_no_samples(tmp_path: Path, key: str) -> None:
    path = write_media(tmp_path / f"empty{KINDS[key].suffix}", np.zeros((1, 0)), 48000, key)
    reason = refused(path)
    assert reason in {
        "has no audio samples (the header is there but no audio follows)",
        "ends before any audio (empty or truncated header)",
        "no MP3 audio frames found after the ID3 tag",
        "has no audio track",  # the MP4 muxer drops a track with no samples
    }


# --------------------------------------------------------------------------- truncated


@pytest.mark.parametrize(
    "key", ["wav_pcm16", "wav_mulaw", "flac", "mp3", "ogg_opus", "ogg_vorbis", "webm_opus"]
)
def test_truncated_file_is_refused(media, tmp_path: Path, key: str) -> None:
    data = media(key).read_bytes()
    path = tmp_path / f"cut{KINDS[key].suffix}"
    path.write_bytes(data[: len(data) // 2])
    reason = refused(path)
    assert reason.startswith("truncated: ")
    assert "0:03.0" in reason or "without its last page" in reason


@pytest.mark.parametrize("key", ["m4a", "mp4_video", "mov_video"])
def test_truncated_mp4_loses_its_index(media, tmp_path: Path, key: str) -> None:
    data = media(key).read_bytes()
    path = tmp_path / f"cut{KINDS[key].suffix}"
    path.write_bytes(data[: len(data) // 2])
    assert refused(path) == "damaged or truncated MP4/M4A/MOV file: its index (moov atom) is missing"


def test_truncated_header(media, tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    path.write_bytes(media("wav_pcm16").read_bytes()[:30])
    assert refused(path) == "damaged WAV file: no data chunk (truncated header?)"


def test_cut_adts_aac_cannot_be_told_from_a_short_file(media, tmp_path: Path) -> None:
    """ADTS has no length in any header: what decodes is imported, the cut frame is a notice."""
    data = media("aac").read_bytes()
    path = tmp_path / "cut.aac"
    path.write_bytes(data[: len(data) // 2 + 7])
    info = inspect_audio(path)
    assert 1.0 < info.duration < 2.0
    assert any(notice.startswith("skipped 1 damaged packet") for notice in info.notices)


# --------------------------------------------------------------------------- garbage


@pytest.mark.parametrize("key", ["wav_pcm16", "wav_mulaw", "mp3", "flac", "ogg_opus", "aac"])
def test_garbage_after_valid_frames_is_dropped_with_a_notice(media, tmp_path: Path, key: str) -> None:
    path = tmp_path / f"junk{KINDS[key].suffix}"
    path.write_bytes(media(key).read_bytes() + random_bytes(30_000))
    info = inspect_audio(path)
    assert info.duration == pytest.approx(SECONDS, abs=0.06)
    assert info.notices, "the user must be told what was dropped"
    assert all(notice.startswith(("skipped ", "ignored ")) for notice in info.notices)
    samples = decode_audio(path)
    assert len(samples) == pytest.approx(SECONDS * 16000, abs=0.06 * 16000)


def test_garbage_notice_says_where(media, tmp_path: Path) -> None:
    path = tmp_path / "junk.wav"
    path.write_bytes(media("wav_pcm16").read_bytes() + random_bytes(30_000))
    assert inspect_audio(path).notices == ("ignored 29.3 KB of trailing data after the audio",)
    path = tmp_path / "junk.mp3"
    path.write_bytes(media("mp3").read_bytes() + random_bytes(30_000))
    (notice,) = inspect_audio(path).notices
    assert notice.startswith("skipped ") and notice.endswith(" from 0:03.0")


def test_damage_in_the_middle_is_skipped_with_a_notice(media, tmp_path: Path) -> None:
    data = bytearray(media("mp3").read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = random_bytes(2000)
    path = tmp_path / "scratched.mp3"
    path.write_bytes(bytes(data))
    info = inspect_audio(path)
    assert 2.5 < info.duration <= SECONDS + 0.06
    assert len(info.notices) == 1 and info.notices[0].startswith("skipped ")
    assert " from 0:01." in info.notices[0]


def test_mostly_damaged_file_is_refused(media, tmp_path: Path) -> None:
    data = media("mp3").read_bytes()
    path = tmp_path / "wrecked.mp3"
    path.write_bytes(data[:1200] + random_bytes(len(data) * 4))
    reason = refused(path)
    assert reason.startswith(("mostly undecodable: ", "no decodable audio"))


# --------------------------------------------------------------------------- length


def test_clip_longer_than_the_limit_is_refused_from_its_header(tmp_path: Path) -> None:
    path = write_long_mulaw_wav(tmp_path / "long.wav", seconds=60)
    assert refused(path, max_seconds=30) == "too long: 1:00.0 of audio, the limit is 0:30.0"
    assert inspect_audio(path, max_seconds=60).duration == 60


def test_clip_longer_than_the_limit_is_refused_while_decoding(tmp_path: Path) -> None:
    """No header length to trust (a live recorder's WAV): the streaming decode stops there."""
    body = (np.round(tone(20.0, 8000)[0] * 32767).astype("<i2")).tobytes()
    path = tmp_path / "live.wav"
    path.write_bytes(wav_header(rate=8000, channels=1, data_bytes=0) + body)
    assert refused(path, max_seconds=10).startswith("too long: 0:11.")


def test_two_hour_file_is_inspected_in_bounded_memory(tmp_path: Path) -> None:
    """2 h of 8 kHz mu-law (57.6 MB): peak RSS grows by a few MB, not by the file's size."""
    path = write_long_mulaw_wav(tmp_path / "two-hours.wav", seconds=7200)
    script = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from listen.audio.decode import inspect_audio
        import av, numpy  # loaded before the baseline
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        info = inspect_audio(Path({str(path)!r}))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(info.duration, (after - before) // 1024)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    duration, grown_mb = done.stdout.split()
    assert float(duration) == 7200.0
    assert int(grown_mb) < 20, f"peak RSS grew by {grown_mb} MB for a 57 MB file"
    assert refused(path, max_seconds=3600) == "too long: 2:00:00 of audio, the limit is 1:00:00"


# --------------------------------------------------------------------------- quiet


def test_ffmpeg_prints_nothing_on_damaged_input(media, tmp_path: Path, capfd) -> None:
    path = tmp_path / "junk.mp3"
    path.write_bytes(media("mp3").read_bytes() + random_bytes(30_000))
    inspect_audio(path)
    decode_audio(path)
    bad = tmp_path / "random.wav"
    bad.write_bytes(random_bytes(10_000))
    with pytest.raises(InputError):
        inspect_audio(bad)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_decode_refuses_like_inspect(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_text("not audio\n" * 10)
    with pytest.raises(InputError, match="is a text file, not audio"):
        decode_audio(path)
    with pytest.raises(InputError, match="file not found"):
        decode_audio(tmp_path / "missing.wav")


# --------------------------------------------------------------------------- sparse and zero files


@pytest.mark.parametrize("name", ["call.flac", "call.mp3", "call.wav"])
def test_a_3_gb_sparse_file_is_refused_from_its_first_bytes(tmp_path: Path, name: str) -> None:
    """A sparse file costs no disk; FFmpeg alone would scan all 3 GB of zeros for a frame."""
    path = tmp_path / name
    with open(path, "wb") as handle:
        handle.truncate(3 * 2**30)
    assert refused(path) == "not audio: its first 64.0 KB are zero bytes (an empty or sparse file)"
    with pytest.raises(InputError):
        decode_audio(path)


def test_a_small_file_of_zero_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_bytes(bytes(1000))
    assert refused(path) == "not audio: it is all zero bytes (an empty or sparse file)"
