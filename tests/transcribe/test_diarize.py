"""Speakers on mono calls (the diarization extra) and the quality setting.

The extra's tests run real sherpa-onnx on the exported models, over a 2-speaker mono call spliced from
two different real readers of the speech fixtures (JFK and the LibriVox reader of Sense and
Sensibility; espeak-ng voices are useless for diarization: every system confuses them). They are
skipped, with the reason, only when the extra is not installed (`make diarize`; `make test` installs
it). The labelling, the error measure, the model checks and the settings run everywhere.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from listen.audio.decode import resample_audio
from listen.domain import Segment
from listen.errors import SettingsError
from listen.settings import Settings, TranscriptionSettings, load_settings
from listen.store import Store
from listen.transcribe import diarize
from listen.transcribe.diarize import Turn, diarization_error, label_segments, models_status
from listen.transcribe.runner import ACCURATE_BEAM_SIZE, engine_options
from listen.transcribe.wer import corpus_error_rate
from listen.workspace import Workspace
from tests.transcribe.speech import AUSTEN, JFK, RATE, TEST_THREADS, recording, silence, within, write_wav

DER_BOUND = 0.20  # measured 0.096-0.098 on this splice (0.114 through an 8 kHz band): about twice
ACCURATE_MAX_WER = 0.15
JFK_CUTS = (3.05, 4.75)  # pauses in jfk.flac (quiet from 2.88-3.25 s and 4.47-5.03 s)
SPEECH_FLOOR = 0.01  # rms over 10 ms above which a fixture is speaking


def needs_extra() -> None:
    problem = diarize.extra_status()
    if problem is not None:
        pytest.skip(f"the diarization extra is not installed here: {problem}")


def speaking_span(samples: np.ndarray) -> tuple[float, float]:
    frame = RATE // 100
    rms = np.sqrt(np.mean(samples[: samples.size // frame * frame].reshape(-1, frame) ** 2, axis=1))
    loud = np.nonzero(rms > SPEECH_FLOOR)[0]
    return loud[0] / 100, (loud[-1] + 1) / 100


def spliced_call() -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    """JFK (voice 0, first: the agent) and the Austen reader (voice 1) taking turns, 0.4 s apart,
    with the truth: where each piece speaks (its first to last loud 10 ms)."""
    jfk = recording(JFK).audio()
    first, second = (int(cut * RATE) for cut in JFK_CUTS)
    pieces = [
        (0, jfk[:first]),
        (1, recording(AUSTEN[0]).audio()),
        (0, jfk[first:second]),
        (1, recording(AUSTEN[1]).audio()),
        (0, jfk[second:]),
        (1, recording(AUSTEN[2]).audio()),
        (1, recording(AUSTEN[3]).audio()),
    ]
    parts: list[np.ndarray] = []
    truth: list[tuple[float, float, int]] = []
    at = 0.0
    for voice, samples in pieces:
        start, end = speaking_span(samples)
        truth.append((at + start, at + end, voice))
        parts += [samples, silence(0.4)]
        at += samples.size / RATE + 0.4
    return np.concatenate(parts).astype(np.float32), truth


# --------------------------------------------------------------------------- everywhere


def segment(start: float, end: float, text: str = "words") -> Segment:
    return Segment(start=start, end=end, text=text)


def test_each_segment_gets_the_voice_it_overlaps_most_and_the_first_voice_is_the_agent() -> None:
    turns = [Turn(0.5, 4.0, 0), Turn(4.2, 9.0, 1), Turn(9.5, 12.0, 0)]
    segments = [segment(0.4, 3.9), segment(3.5, 8.0), segment(8.8, 11.0), segment(20.0, 21.0)]
    labelled = label_segments(segments, turns)
    assert [s.speaker for s in labelled] == ["agent", "customer", "agent", "agent"]  # last: nearest
    assert [s.text for s in labelled] == [s.text for s in segments]
    assert all(s.speaker is None for s in segments)  # copies: the input is untouched
    assert label_segments(segments, []) == segments  # one voice or none: no speakers


def test_a_segment_whose_words_change_voice_is_cut_there() -> None:
    from listen.domain import Word

    words = [
        Word(0.0, 0.4, "Is", 0.9),
        Word(0.4, 0.8, "that", 0.9),
        Word(0.8, 1.2, "right?", 0.9),
        Word(1.3, 1.6, "Yes,", 0.9),
        Word(1.6, 2.0, "it", 0.9),
        Word(2.0, 2.4, "is.", 0.9),
    ]
    both = Segment(start=0.0, end=2.4, text="Is that right? Yes, it is.", words=words)
    turns = [Turn(0.0, 1.25, 0), Turn(1.25, 2.5, 1)]
    cut = label_segments([both], turns)
    assert [(s.speaker, s.text, s.start, s.end) for s in cut] == [
        ("agent", "Is that right?", 0.0, 1.2),
        ("customer", "Yes, it is.", 1.3, 2.4),
    ]
    jitter = [Turn(0.0, 1.25, 0), Turn(1.25, 1.6, 1), Turn(1.6, 2.5, 0)]  # one word: not a turn
    assert [s.speaker for s in label_segments([both], jitter)] == ["agent"]


def test_diarization_error_maps_voices_before_counting() -> None:
    truth = [(0.0, 2.0, 0), (2.0, 4.0, 1)]
    assert diarization_error(truth, [Turn(0.0, 2.0, 1), Turn(2.0, 4.0, 0)]) == pytest.approx(0.0)
    assert diarization_error(truth, [Turn(0.0, 4.0, 0)]) == pytest.approx(0.5, abs=0.01)
    assert diarization_error(truth, []) == pytest.approx(1.0)
    assert diarization_error(truth, [Turn(0.0, 1.0, 0), Turn(2.0, 4.0, 1)]) == pytest.approx(0.25, abs=0.01)


def test_models_are_checked_against_their_checksums(tmp_path: Path) -> None:
    assert "not exported" in str(models_status(tmp_path))
    for name in diarize.MODEL_FILES:
        (tmp_path / name).write_bytes(name.encode())
    sums = "".join(f"{hashlib.sha256(n.encode()).hexdigest()}  {n}\n" for n in diarize.MODEL_FILES)
    (tmp_path / diarize.SUMS_FILE).write_text(sums, encoding="utf-8")
    assert models_status(tmp_path) is None
    (tmp_path / diarize.EMBEDDING_FILE).write_bytes(b"tampered")
    problem = models_status(tmp_path)
    assert problem is not None and diarize.EMBEDDING_FILE in problem and "damaged" in problem


def test_quality_and_diarize_settings_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "listen.toml"
    table = '[transcription]\nquality = "accurate"\ndiarize = "off"\nspeakers = 3\n'
    path.write_text(table, encoding="utf-8")
    settings = load_settings(path)
    assert settings.transcription.quality == "accurate" and settings.transcription.diarize == "off"
    assert settings.transcription.speakers == 3
    wrong = (('quality = "best"', "quality"), ('diarize = "yes"', "diarize"), ("speakers = 1", "speakers"))
    for bad, named in wrong:
        path.write_text(f"[transcription]\n{bad}\n", encoding="utf-8")
        with pytest.raises(SettingsError, match=named):
            load_settings(path)


def test_accurate_quality_asks_for_beam_search_and_the_fallback() -> None:
    fast = engine_options(Settings())
    assert fast.beam_size == 1 and not fast.temperature_fallback
    accurate = engine_options(Settings(transcription=TranscriptionSettings(quality="accurate")))
    assert accurate.beam_size == ACCURATE_BEAM_SIZE and accurate.temperature_fallback
    wider = Settings(transcription=TranscriptionSettings(quality="accurate", beam_size=8))
    assert engine_options(wider).beam_size == 8  # a wider beam set by hand stays


@pytest.mark.slow
def test_accurate_quality_transcribes_real_speech() -> None:
    from listen.transcribe.faster_engine import FasterWhisperEngine

    settings = Settings(transcription=TranscriptionSettings(quality="accurate"))
    engine = FasterWhisperEngine(engine_options(settings, threads=TEST_THREADS or None))
    pairs = []
    for name in (JFK, AUSTEN[0]):
        segments = engine.transcribe(recording(name).audio())
        pairs.append((recording(name).reference, " ".join(segment.text for segment in segments)))
    # measured 0.043 over all six recordings (fast: 0.075; README); bound with a margin
    assert within("accurate quality: jfk + austen-0870", corpus_error_rate(pairs), ACCURATE_MAX_WER), pairs


# --------------------------------------------------------------------------- with the extra


@pytest.mark.slow
@pytest.mark.parametrize("line", ["16k", "8k"])
def test_two_real_voices_on_a_mono_call_are_told_apart(line: str) -> None:
    needs_extra()
    audio, truth = spliced_call()
    if line == "8k":  # through a phone line's band
        audio = resample_audio(resample_audio(audio, RATE, 8000), 8000, RATE)
    turns = diarize.Diarizer(threads=2).turns(audio)
    error = diarization_error(truth, turns)
    assert within(f"diarization: spliced jfk/austen call {line}", error, DER_BOUND), (error, turns)
    assert turns[0].speaker == 0 and {turn.speaker for turn in turns} == {0, 1}


@pytest.mark.slow
def test_one_voice_gets_no_speakers() -> None:
    needs_extra()
    reader = np.concatenate([part for name in AUSTEN for part in (recording(name).audio(), silence(0.4))])
    assert diarize.Diarizer(threads=2).turns(reader) == []


@pytest.mark.slow
def test_a_mono_call_is_transcribed_with_speakers_offline(workspace: Workspace, tmp_path: Path) -> None:
    needs_extra()
    from tests.transcribe.test_command import offline_run, submit

    audio, _truth = spliced_call()
    (clip_id,) = submit(workspace, write_wav(tmp_path / "call.wav", audio))
    result = offline_run(workspace, tmp_path, "transcribe")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "offline-mark").read_text() == "sockets blocked"
    transcript = Store(workspace).transcript(clip_id)
    assert transcript is not None
    agent = " ".join(s.text for s in transcript.segments if s.speaker == "agent").lower()
    customer = " ".join(s.text for s in transcript.segments if s.speaker == "customer").lower()
    assert "country" in agent and "country" not in customer, transcript.text  # JFK spoke first
    assert any(word in customer for word in ("dashwood", "disposed", "selfish")), transcript.text
    assert transcript.text.startswith("Agent: "), transcript.text

    (workspace.settings_path).write_text('[transcription]\ndiarize = "off"\n', encoding="utf-8")
    again = offline_run(workspace, tmp_path, "transcribe", clip_id, "--force")
    assert again.returncode == 0, again.stderr
    plain = Store(workspace).transcript(clip_id)
    assert plain is not None and all(s.speaker is None for s in plain.segments)


def test_doctor_says_whether_the_extra_is_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from listen.doctor import diarize_checks

    monkeypatch.setenv("LISTEN_CACHE_DIR", str(tmp_path))  # no models exported there
    (check,) = diarize_checks(Settings())
    assert check.level == "info" and "diarization extra: not installed" in check.text
    assert "make diarize" in check.text
    off = Settings(transcription=TranscriptionSettings(diarize="off"))
    (check,) = diarize_checks(off)
    assert "off in settings" in check.text


@pytest.mark.slow
def test_the_exported_models_carry_what_sherpa_onnx_reads() -> None:
    needs_extra()
    import onnxruntime

    folder = diarize.models_dir()
    segmentation = onnxruntime.InferenceSession(str(folder / diarize.SEGMENTATION_FILE))
    meta = segmentation.get_modelmeta().custom_metadata_map
    assert meta["model_type"] == "pyannote-segmentation-3.0" and meta["receptive_field_shift"] == "270"
    out = segmentation.run(None, {"x": np.zeros((1, 1, 10 * RATE), dtype=np.float32)})[0]
    assert out.shape == (1, 589, 7)  # 589 frames of the 7 powerset classes, as pyannote gives
    embedding = onnxruntime.InferenceSession(str(folder / diarize.EMBEDDING_FILE))
    meta = embedding.get_modelmeta().custom_metadata_map
    assert meta["framework"] == "3d-speaker" and meta["output_dim"] == "192"
    assert "MIT" in (folder / diarize.LICENCE_FILE).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_diarization_failure_keeps_the_transcript_with_a_notice(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_extra()
    import shutil

    from listen.ingest.submit import submit_file
    from listen.transcribe.runner import SPEAKERS_NOTICE, transcribe_clips

    broken = tmp_path / "cache" / "diarize"
    shutil.copytree(diarize.models_dir(), broken)
    model = broken / diarize.EMBEDDING_FILE
    model.write_bytes(model.read_bytes()[:100_000])  # cut short, its checksum updated: loads, fails
    sums = "".join(
        f"{hashlib.sha256((broken / n).read_bytes()).hexdigest()}  {n}\n" for n in diarize.MODEL_FILES
    )
    (broken / diarize.SUMS_FILE).write_text(sums, encoding="utf-8")
    monkeypatch.setenv("LISTEN_CACHE_DIR", str(tmp_path / "cache"))
    clip = submit_file(store, recording(AUSTEN[1]).path, submitted_by="Ana").clip
    summary = transcribe_clips(store, Settings(), threads=TEST_THREADS or 1)
    assert summary.done == [clip.id], summary.failed
    (notice,) = [n for n in store.clip(clip.id).notices if n.startswith(SPEAKERS_NOTICE)]
    assert diarize.EMBEDDING_FILE in notice
    transcript = store.transcript(clip.id)
    assert transcript is not None and "young man" in transcript.text.lower()
