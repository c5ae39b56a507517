"""Model resolution: the bundled model, a folder, a name; one clear line when it cannot work."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.errors import ListenError, UsageError
from listen.transcribe.engine import EngineOptions
from listen.transcribe.engines import make_engine
from listen.transcribe.faster_engine import FasterWhisperEngine
from listen.transcribe.models import BUNDLED, resolve_model


def test_bundled_model_is_on_this_machine() -> None:
    resolved = resolve_model(BUNDLED)
    assert (resolved.path / "model.bin").is_file() and (resolved.path / "tokenizer.json").is_file()
    assert resolved.label == "bundled:tiny.en"
    assert resolve_model(None).path == resolved.path == resolve_model("").path


def test_a_model_folder_is_used_as_is() -> None:
    bundled = resolve_model(BUNDLED).path
    resolved = resolve_model(str(bundled))
    assert resolved.path == bundled and resolved.label == str(bundled)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing", "no such model folder"),
        (lambda tmp: tmp, "not a faster-whisper model folder (model.bin is missing)"),
        (lambda tmp: _file(tmp / "model.pt"), "not a model folder"),
    ],
)
def test_bad_model_paths_say_why(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    with pytest.raises(ListenError) as caught:
        resolve_model(str(path))
    assert str(caught.value).startswith(f"{path}: {message}")
    assert "\n" not in str(caught.value)


def test_an_unknown_model_name_lists_the_known_ones() -> None:
    with pytest.raises(ListenError, match=r"unknown model 'huge\.en': use 'bundled', a model folder, or one"):
        resolve_model("huge.en")


def test_a_relative_path_that_does_not_exist_is_a_folder_error() -> None:
    with pytest.raises(ListenError, match=r"^\./models/small: no such model folder$"):
        resolve_model("./models/small")


def test_engine_registry() -> None:
    options = EngineOptions(model="bundled", threads=1)
    engine = make_engine("faster-whisper", options)
    assert isinstance(engine, FasterWhisperEngine) and engine.options is options
    other = make_engine("openai-whisper", options)
    assert other.name == "openai-whisper"
    with pytest.raises(UsageError, match=r"unknown engine 'whisper\.cpp'"):
        make_engine("whisper.cpp", options)


def test_loading_a_damaged_model_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "broken-model"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"\x00" * 64)
    engine = FasterWhisperEngine(EngineOptions(model=str(folder)))
    with pytest.raises(ListenError) as caught:
        engine.load()
    assert str(caught.value).startswith(f"{folder}: the model cannot be loaded (")
    assert "\n" not in str(caught.value)


def _file(path: Path) -> Path:
    path.write_bytes(b"not a model")
    return path


def test_describe_model_for_doctor_never_downloads() -> None:
    from listen.transcribe.models import describe_model

    assert describe_model("bundled").startswith("bundled:tiny.en: ")
    assert describe_model("bundled").endswith(" MB)")
    with pytest.raises(ListenError, match=r"^model 'listen-tests/no-such-model' is not on this machine yet"):
        describe_model("listen-tests/no-such-model")
