"""Windows for long audio: cover every sample once, stay under the limit, cut where it is quiet."""

from __future__ import annotations

import itertools

import numpy as np

from listen.transcribe.chunks import quietest_cut, stream_windows, windows

RATE = 16_000


def tone_with_pauses(seconds: float, pauses: list[float]) -> np.ndarray:
    """A loud tone with 0.3 s of silence starting at each time in ``pauses``."""
    t = np.arange(int(seconds * RATE)) / RATE
    audio = (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    for at in pauses:
        audio[int(at * RATE) : int((at + 0.3) * RATE)] = 0.0
    return audio


def test_windows_cover_the_audio_and_cut_in_the_pauses() -> None:
    pauses = [8.5, 16.0, 24.0, 32.0, 40.0]
    audio = tone_with_pauses(50.0, pauses)
    found = list(windows(audio, max_seconds=10.0, search_seconds=4.0))
    assert found[0].start == 0 and found[-1].end == audio.shape[0]
    assert all(a.end == b.start for a, b in itertools.pairwise(found))
    assert all(w.end - w.start <= 10 * RATE for w in found)
    for window in found[:-1]:
        assert audio[window.end] == 0.0, window  # every cut lands in a pause
    cuts = [w.end / RATE for w in found[:-1]]
    assert len(cuts) == len(pauses)
    assert all(p <= cut <= p + 0.3 for p, cut in zip(pauses, cuts, strict=True)), cuts


def test_short_audio_is_one_window() -> None:
    audio = tone_with_pauses(5.0, [])
    assert [(w.start, w.end) for w in windows(audio, max_seconds=10.0)] == [(0, audio.shape[0])]


def test_stream_windows_match_and_rebuild_the_stream() -> None:
    audio = tone_with_pauses(47.0, [9.0, 18.5, 30.1, 41.0])
    blocks = [audio[i : i + 3 * RATE + 17] for i in range(0, audio.shape[0], 3 * RATE + 17)]
    streamed = list(stream_windows(blocks, max_seconds=10.0, search_seconds=4.0))
    assert np.array_equal(np.concatenate([w for _, w in streamed]), audio)
    assert [first for first, _ in streamed] == [
        w.start for w in windows(audio, max_seconds=10.0, search_seconds=4.0)
    ]
    assert all(w.shape[0] <= 10 * RATE for _, w in streamed)


def test_stereo_cut_waits_for_both_channels_to_be_quiet() -> None:
    left = tone_with_pauses(10.0, [5.0, 8.0])  # left pauses at 5.0 and 8.0
    right = tone_with_pauses(10.0, [8.0])  # right talks through 5.0
    cut = quietest_cut(np.stack([left, right]), 4 * RATE)
    assert 8.0 <= cut / RATE <= 8.3


def test_stream_keeps_channels_together() -> None:
    left = tone_with_pauses(25.0, [9.0])
    right = tone_with_pauses(25.0, [9.0]) * 0.5
    stereo = np.stack([left, right])
    blocks = [stereo[:, i : i + RATE] for i in range(0, stereo.shape[1], RATE)]
    streamed = list(stream_windows(blocks, max_seconds=10.0, search_seconds=4.0))
    assert all(w.shape[0] == 2 for _, w in streamed)
    assert np.array_equal(np.concatenate([w for _, w in streamed], axis=1), stereo)
