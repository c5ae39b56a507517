"""The openai-whisper engine on real speech, run offline on the bundled model converted from CTranslate2.

It must hear what faster-whisper float32 hears on the same clip, word for word; carry word timestamps
in order; go through long audio window by window as whisper's own loop does, with progress and
cancel; and never touch the network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from listen.domain import Segment
from listen.errors import ListenError
from listen.transcribe.engine import Cancelled, EngineOptions
from listen.transcribe.models import bundled_model_path
from listen.transcribe.openai_engine import OpenAIWhisperEngine, resolve_model
from listen.transcribe.wer import normalise, word_error_rate
from tests.helpers import REPO
from tests.transcribe.speech import (
    AUSTEN,
    JFK,
    MONOLOGUE,
    RATE,
    assert_sentence_by_sentence,
    monologue,
    recording,
    say,
    silence,
    within,
)

JFK_MAX_WER = 0.10
LONG_MAX_WER = 0.15  # tiny.en on the librivox sentences ("ill disposed" is heard "old-sposed")
VOCABULARY_MAX_WER = 0.3  # seen 0.125 (en-us, en-gb), 0.25 (en-gb-x-rp)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One converted checkpoint for the whole session (test_ct2_checkpoint uses the same folder)."""
    return tmp_path_factory.getbasetemp() / "openai-whisper-cache"


@pytest.fixture(scope="module")
def whisper_engine(cache_dir: Path) -> Iterator[OpenAIWhisperEngine]:
    pytest.importorskip("whisper")
    loaded = OpenAIWhisperEngine(EngineOptions(extra={"cache_dir": str(cache_dir)}))
    loaded.load()
    yield loaded


def text_of(segments: list[Segment]) -> str:
    return " ".join(segment.text for segment in segments)


def long_audio() -> tuple[np.ndarray, str]:
    """jfk, the five librivox sentences, jfk again: about 50 s, so two windows or more."""
    parts, texts = [], []
    for name in (JFK, *AUSTEN, JFK):
        clip = recording(name)
        parts += [clip.audio(), silence(0.7)]
        texts.append(clip.reference)
    return np.concatenate(parts), " ".join(texts)


def assert_in_order(segments: list[Segment]) -> None:
    previous = 0.0
    for segment in segments:
        assert segment.start <= segment.end, segment
        assert segment.words, segment
        for word in segment.words:
            assert previous <= word.start <= word.end, (word, previous)
            assert segment.start <= word.start and word.end <= segment.end, (word, segment)
            previous = word.end


# --------------------------------------------------------------------------- accuracy


def test_jfk_equals_faster_whisper_float32_word_for_word(whisper_engine: OpenAIWhisperEngine) -> None:
    from faster_whisper import WhisperModel

    jfk = recording(JFK)
    audio = jfk.audio()
    ours = text_of(whisper_engine.transcribe(audio))
    reference_engine = WhisperModel(
        str(bundled_model_path()),
        device="cpu",
        compute_type="float32",
        local_files_only=True,
    )
    generator, _info = reference_engine.transcribe(
        audio,
        language="en",
        beam_size=1,
        temperature=0.0,
        word_timestamps=True,
        vad_filter=False,
        condition_on_previous_text=True,
    )
    theirs = " ".join(segment.text.strip() for segment in generator)
    assert normalise(ours) == normalise(theirs)
    assert word_error_rate(jfk.reference, ours) <= JFK_MAX_WER


def test_words_carry_timestamps_in_order(whisper_engine: OpenAIWhisperEngine) -> None:
    segments = whisper_engine.transcribe(recording(JFK).audio())
    assert_in_order(segments)
    words = [word for segment in segments for word in segment.words]
    assert [w.word.strip(",.").lower() for w in words[:4]] == ["and", "so", "my", "fellow"]
    assert words[0].start < 1.0 and 10.0 < words[-1].end <= 11.0
    assert all(w.probability is not None and 0.0 <= w.probability <= 1.0 for w in words)
    assert all(segment.speaker is None for segment in segments)


def test_long_audio_goes_window_by_window_as_whisper_itself_does(whisper_engine: OpenAIWhisperEngine) -> None:
    import whisper

    audio, reference = long_audio()
    total = audio.shape[0] / RATE
    seen: list[float] = []
    segments = whisper_engine.transcribe(audio, progress=seen.append)
    assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] == pytest.approx(total)
    assert_in_order(segments)
    assert segments[-1].end <= total
    assert within("openai: 50 s", word_error_rate(reference, text_of(segments)), LONG_MAX_WER)
    # whisper's own loop over the whole clip, with the same settings, hears the same words
    native = whisper.transcribe(
        whisper_engine._model, audio, temperature=0.0, fp16=False, language="en", word_timestamps=True
    )
    assert normalise(text_of(segments)) == normalise(native["text"])


def test_monologue_comes_back_sentence_by_sentence(whisper_engine: OpenAIWhisperEngine) -> None:
    audio, spoken = monologue(MONOLOGUE)
    assert_sentence_by_sentence(whisper_engine.transcribe(audio), spoken, "openai")


# --------------------------------------------------------------------------- progress, cancel, odd input


def test_cancel_stops_between_windows(whisper_engine: OpenAIWhisperEngine) -> None:
    audio, _ = long_audio()
    seen: list[float] = []
    with pytest.raises(Cancelled):
        whisper_engine.transcribe(audio, progress=seen.append, cancel=lambda: len(seen) >= 1)
    assert len(seen) == 1 and 10.0 < seen[0] <= 30.0


def test_cancel_before_start_does_no_work(whisper_engine: OpenAIWhisperEngine) -> None:
    seen: list[float] = []
    with pytest.raises(Cancelled):
        whisper_engine.transcribe(recording(JFK).audio(), progress=seen.append, cancel=lambda: True)
    assert seen == []


def test_silence_gives_no_segments(whisper_engine: OpenAIWhisperEngine) -> None:
    seen: list[float] = []
    assert whisper_engine.transcribe(silence(5.0), progress=seen.append) == []
    assert seen == [5.0]
    noise = np.random.default_rng(7).normal(0.0, 0.003, 6 * RATE).astype(np.float32)
    assert whisper_engine.transcribe(noise) == []


def test_empty_audio_gives_no_segments(whisper_engine: OpenAIWhisperEngine) -> None:
    assert whisper_engine.transcribe(np.zeros(0, dtype=np.float32)) == []


def test_stereo_array_is_refused(whisper_engine: OpenAIWhisperEngine) -> None:
    with pytest.raises(ValueError, match="mono"):
        whisper_engine.transcribe(np.zeros((2, RATE), dtype=np.float32))


VOCABULARY_WORD = "Quillvane"
VOCABULARY_LINE = (
    f"Hello, thanks for calling. I want to cancel my {VOCABULARY_WORD} subscription. "
    f"The {VOCABULARY_WORD} app keeps crashing."
)


def test_vocabulary_makes_a_product_name_heard_right(
    whisper_engine: OpenAIWhisperEngine, cache_dir: Path
) -> None:
    audio = say(VOCABULARY_LINE)
    assert VOCABULARY_WORD not in text_of(whisper_engine.transcribe(audio))  # tiny.en alone: "quail-man"
    with_vocabulary = OpenAIWhisperEngine(
        EngineOptions(
            vocabulary=("Northwind", VOCABULARY_WORD, "FlexiPlan"), extra={"cache_dir": str(cache_dir)}
        )
    )
    heard = text_of(with_vocabulary.transcribe(audio))
    assert VOCABULARY_WORD in heard, heard  # measured: twice, as said
    assert within("openai: vocabulary line", word_error_rate(VOCABULARY_LINE, heard), VOCABULARY_MAX_WER)


def test_threads_option_holds_after_word_timestamps(cache_dir: Path) -> None:
    """numba's parallel DTW resets the shared OpenMP thread count; the engine sets it back."""
    torch = pytest.importorskip("torch")
    numba = pytest.importorskip("numba")
    before = (torch.get_num_threads(), numba.get_num_threads())
    one = OpenAIWhisperEngine(EngineOptions(threads=1, extra={"cache_dir": str(cache_dir)}))
    try:
        segments = one.transcribe(recording(JFK).audio())
        assert segments and segments[0].words
        assert (torch.get_num_threads(), numba.get_num_threads()) == (1, 1)
    finally:
        torch.set_num_threads(before[0])
        numba.set_num_threads(before[1])


# --------------------------------------------------------------------------- models and failures


def test_english_only_model_refuses_another_language(cache_dir: Path) -> None:
    pytest.importorskip("whisper")
    german = OpenAIWhisperEngine(EngineOptions(language="de", extra={"cache_dir": str(cache_dir)}))
    with pytest.raises(ListenError, match="understands English only, not language 'de'"):
        german.load()


def test_model_values_resolve_or_fail_in_one_line(tmp_path: Path) -> None:
    bundled = resolve_model("bundled")
    assert bundled.kind == "ct2" and (Path(bundled.location) / "model.bin").is_file()
    assert resolve_model("small.en").kind == "name"
    with pytest.raises(ListenError, match="no such model file or directory"):
        resolve_model(str(tmp_path / "missing.pt"))
    with pytest.raises(ListenError, match="not a CTranslate2 Whisper model directory"):
        resolve_model(str(tmp_path))


def test_unknown_model_name_lists_the_known_ones() -> None:
    pytest.importorskip("whisper")
    engine = OpenAIWhisperEngine(EngineOptions(model="enormous.en"))
    with pytest.raises(ListenError, match=r"unknown model 'enormous.en'.*tiny\.en"):
        engine.load()


def test_a_file_that_is_not_a_checkpoint_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("whisper")
    bogus = tmp_path / "model.pt"
    bogus.write_bytes(b"not a checkpoint")
    with pytest.raises(ListenError, match="not an openai-whisper model"):
        OpenAIWhisperEngine(EngineOptions(model=str(bogus))).load()


def _run_python(script: str, *args: str, prefix: tuple[str, ...] = (), **env: str) -> Any:
    result = subprocess.run(
        [*prefix, sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


NOT_INSTALLED_SCRIPT = """
import json, sys
sys.modules["whisper"] = None  # as if openai-whisper were not installed
sys.modules["torch"] = None
from listen.errors import ListenError
from listen.transcribe.openai_engine import OpenAIWhisperEngine
try:
    OpenAIWhisperEngine().load()
except ListenError as error:
    print(json.dumps({"message": str(error)}))
"""


def test_missing_openai_whisper_says_how_to_install_it() -> None:
    answer = _run_python(NOT_INSTALLED_SCRIPT)
    assert answer["message"] == "the openai-whisper engine is not installed: run `make openai-whisper`"


OFFLINE_SCRIPT = """
import json, sys
from pathlib import Path

attempts = []

def refuse_network(event, args):
    if event.startswith(("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.send")):
        attempts.append(event)
        raise OSError("network blocked by the test: " + event)

sys.addaudithook(refuse_network)
from listen.audio.decode import decode_audio
from listen.transcribe.engine import EngineOptions
from listen.transcribe.openai_engine import OpenAIWhisperEngine

engine = OpenAIWhisperEngine(EngineOptions(extra={"cache_dir": sys.argv[2]}))
segments = engine.transcribe(decode_audio(Path(sys.argv[1])))
print(json.dumps({
    "text": " ".join(s.text for s in segments),
    "words": sum(len(s.words) for s in segments),
    "attempts": attempts,
    "converted": engine.checkpoint is not None and engine.checkpoint.path.is_file(),
}))
"""


def _no_network_prefix() -> tuple[str, ...]:
    """``unshare -n`` (a network namespace with no interfaces) where allowed; else the hook alone."""
    try:
        probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return ("unshare", "-n") if probe.returncode == 0 else ()


def test_whole_run_works_with_the_network_unavailable(tmp_path: Path) -> None:
    """Conversion, loading and transcription in a fresh process with no network at all."""
    pytest.importorskip("whisper")
    jfk = recording(JFK)
    answer = _run_python(
        OFFLINE_SCRIPT,
        str(jfk.path),
        str(tmp_path / "fresh-cache"),  # empty: the conversion runs offline too
        prefix=_no_network_prefix(),
        XDG_CACHE_HOME=str(tmp_path / "xdg"),
        HOME=str(tmp_path / "home"),
    )
    assert answer["attempts"] == []
    assert answer["converted"] is True
    assert answer["words"] >= 20
    assert word_error_rate(jfk.reference, answer["text"]) <= JFK_MAX_WER
