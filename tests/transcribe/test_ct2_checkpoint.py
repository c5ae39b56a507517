"""The CTranslate2 -> openai-whisper checkpoint converter.

Two kinds of model are converted: the real bundled tiny.en, and small random Whisper models written
by ctranslate2's own writer (``WhisperSpec`` filled as its Transformers converter fills it, then
``optimize`` and ``save``), in every weight type it writes, and compared with the weights they came
from.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from listen.transcribe.ct2_checkpoint import (
    CheckpointError,
    alignment_heads_dump,
    ensure_checkpoint,
    read_alignment_heads,
    read_ct2_model,
    whisper_dims,
    whisper_state,
)
from listen.transcribe.models import bundled_model_path

TINY_EN_DIMS = {
    "n_mels": 80,
    "n_audio_ctx": 1500,
    "n_audio_state": 384,
    "n_audio_head": 6,
    "n_audio_layer": 4,
    "n_vocab": 51864,
    "n_text_ctx": 448,
    "n_text_state": 384,
    "n_text_head": 6,
    "n_text_layer": 4,
}
TINY_EN_HEADS = ((1, 0), (2, 0), (2, 5), (3, 0), (3, 1), (3, 2), (3, 3), (3, 4))


@pytest.fixture(scope="module")
def bundled() -> Path:
    return bundled_model_path()


# --------------------------------------------------------------------------- the bundled model


def test_bundled_model_bin_is_read_whole(bundled: Path) -> None:
    model = read_ct2_model(bundled / "model.bin")
    assert (model.version, model.spec, model.revision) == (6, "WhisperSpec", 3)
    assert model.aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}
    assert model.variables["decoder/embeddings/weight"].shape == (51864, 384)
    assert model.dtypes["decoder/embeddings/weight"] == "float16"  # what the package ships
    fused = model.variables["encoder/layer_0/self_attention/linear_0/weight"]
    assert fused.shape == (3 * 384, 384)  # q|k|v in one matrix
    assert whisper_dims(model) == TINY_EN_DIMS


def test_bundled_state_has_openai_whisper_names_and_float32(bundled: Path) -> None:
    dims, state = whisper_state(read_ct2_model(bundled / "model.bin"))
    assert dims == TINY_EN_DIMS
    assert all(value.dtype == np.float32 for value in state.values())
    assert state["encoder.blocks.0.attn.query.weight"].shape == (384, 384)
    assert state["encoder.blocks.0.attn.key.weight"].shape == (384, 384)
    assert "encoder.blocks.0.attn.key.bias" not in state  # openai-whisper's key has no bias
    assert state["decoder.blocks.3.cross_attn.value.bias"].shape == (384,)
    assert state["decoder.token_embedding.weight"].shape == (51864, 384)
    assert state["encoder.positional_embedding"].shape == (1500, 384)
    assert len(state) == 4 + 1 + 4 * 15 + 2 + 2 + 4 * 24 + 2


def test_alignment_heads_come_from_config(bundled: Path) -> None:
    heads = read_alignment_heads(bundled, TINY_EN_DIMS)
    assert heads == TINY_EN_HEADS
    mask = np.frombuffer(gzip.decompress(base64.b85decode(alignment_heads_dump(heads, 4, 6))), dtype=bool)
    assert [divmod(int(i), 6) for i in np.flatnonzero(mask)] == list(TINY_EN_HEADS)


def test_alignment_heads_match_openai_whisper_own_tiny_en(bundled: Path) -> None:
    whisper = pytest.importorskip("whisper")
    official = whisper._ALIGNMENT_HEADS["tiny.en"]
    ours = alignment_heads_dump(read_alignment_heads(bundled, TINY_EN_DIMS), 4, 6)
    assert gzip.decompress(base64.b85decode(ours)) == gzip.decompress(base64.b85decode(official))


def test_alignment_heads_default_to_the_last_half_of_the_layers(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"lang_ids": []}), encoding="utf-8")
    dims = {**TINY_EN_DIMS, "n_text_layer": 4, "n_text_head": 2}
    assert read_alignment_heads(tmp_path, dims) == ((2, 0), (2, 1), (3, 0), (3, 1))


def test_alignment_head_out_of_range_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"alignment_heads": [[4, 0]]}), encoding="utf-8")
    with pytest.raises(CheckpointError, match=r"alignment head \(4, 0\) is out of range"):
        read_alignment_heads(tmp_path, TINY_EN_DIMS)


# --------------------------------------------------------------------------- damaged input


def _string(text: str) -> bytes:
    return struct.pack("<H", len(text) + 1) + text.encode() + b"\0"


def test_truncated_model_is_a_one_line_error(bundled: Path, tmp_path: Path) -> None:
    broken = tmp_path / "model.bin"
    with open(bundled / "model.bin", "rb") as source:
        broken.write_bytes(source.read(5000))
    with pytest.raises(CheckpointError) as caught:
        read_ct2_model(broken)
    assert str(caught.value).startswith(f"{broken}: truncated CTranslate2 model")
    assert "\n" not in str(caught.value)


def test_missing_model_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="cannot read the model"):
        read_ct2_model(tmp_path / "model.bin")


def test_other_spec_is_not_a_whisper_model(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(struct.pack("<I", 6) + _string("TransformerSpec") + struct.pack("<III", 1, 0, 0))
    model = read_ct2_model(path)
    with pytest.raises(CheckpointError, match="is a TransformerSpec, not a Whisper model"):
        whisper_dims(model)


def test_unknown_format_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(struct.pack("<I", 99) + _string("WhisperSpec") + struct.pack("<III", 3, 0, 0))
    with pytest.raises(CheckpointError, match="unsupported CTranslate2 model format version 99"):
        read_ct2_model(path)


def test_byte_count_that_disagrees_with_the_shape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    record = _string("x") + struct.pack("<BIBI", 1, 4, 0, 8) + bytes(8) + struct.pack("<I", 0)
    path.write_bytes(struct.pack("<I", 6) + _string("WhisperSpec") + struct.pack("<II", 3, 1) + record)
    with pytest.raises(CheckpointError, match=r"variable x holds 8 bytes, its shape \(4,\) needs 16"):
        read_ct2_model(path)


# --------------------------------------------------------------------------- round trip through ctranslate2


SMALL = {
    "n_mels": 80,
    "n_audio_ctx": 12,
    "n_audio_state": 16,
    "n_audio_head": 2,
    "n_audio_layer": 2,
    "n_vocab": 51864,  # English-only vocabulary size, so openai-whisper picks the gpt2 tokenizer
    "n_text_ctx": 10,
    "n_text_state": 16,
    "n_text_head": 2,
    "n_text_layer": 2,
}


def _random_whisper(seed: int) -> Any:
    torch = pytest.importorskip("torch")
    whisper_model = pytest.importorskip("whisper.model")
    torch.manual_seed(seed)
    model = whisper_model.Whisper(whisper_model.ModelDimensions(**SMALL))
    with torch.no_grad():  # every weight random (openai-whisper leaves some uninitialised)
        for name, parameter in model.named_parameters():
            norm_weight = name.endswith("weight") and "ln" in name.split(".")[-2]
            parameter.copy_(torch.randn_like(parameter) * 0.1 + (1.0 if norm_weight else 0.0))
    return model.eval()


def _write_ct2(model: Any, directory: Path, quantization: str | None) -> Path:
    """Fill ctranslate2's WhisperSpec from an openai-whisper model, as its converter does, and save."""
    whisper_spec = pytest.importorskip("ctranslate2.specs.whisper_spec")
    state = {key: value.detach().numpy().copy() for key, value in model.state_dict().items()}
    spec = whisper_spec.WhisperSpec(2, 2, 2, 2)

    def linear(layer: Any, prefix: str) -> None:
        layer.weight, layer.bias = state[f"{prefix}.weight"], state[f"{prefix}.bias"]

    def norm(layer: Any, prefix: str) -> None:
        layer.gamma, layer.beta = state[f"{prefix}.weight"], state[f"{prefix}.bias"]

    def attention(layer: Any, prefix: str, cross: bool) -> None:
        q, k, v = (state[f"{prefix}.{part}.weight"] for part in ("query", "key", "value"))
        qb, vb = state[f"{prefix}.query.bias"], state[f"{prefix}.value.bias"]
        kb = np.zeros_like(qb)  # the key has no bias: the converter fills zeros
        if cross:
            layer.linear[0].weight, layer.linear[0].bias = q, qb
            layer.linear[1].weight, layer.linear[1].bias = np.concatenate([k, v]), np.concatenate([kb, vb])
        else:
            layer.linear[0].weight = np.concatenate([q, k, v])
            layer.linear[0].bias = np.concatenate([qb, kb, vb])
        linear(layer.linear[-1], f"{prefix}.out")

    encoder, decoder = spec.encoder, spec.decoder
    linear(encoder.conv1, "encoder.conv1")
    linear(encoder.conv2, "encoder.conv2")
    encoder.position_encodings.encodings = state["encoder.positional_embedding"]
    norm(encoder.layer_norm, "encoder.ln_post")
    for i, layer in enumerate(encoder.layer):
        attention(layer.self_attention, f"encoder.blocks.{i}.attn", cross=False)
        norm(layer.self_attention.layer_norm, f"encoder.blocks.{i}.attn_ln")
        linear(layer.ffn.linear_0, f"encoder.blocks.{i}.mlp.0")
        linear(layer.ffn.linear_1, f"encoder.blocks.{i}.mlp.2")
        norm(layer.ffn.layer_norm, f"encoder.blocks.{i}.mlp_ln")
    decoder.embeddings.weight = state["decoder.token_embedding.weight"]
    decoder.position_encodings.encodings = state["decoder.positional_embedding"]
    norm(decoder.layer_norm, "decoder.ln")
    decoder.projection.weight = state["decoder.token_embedding.weight"].copy()  # aliased on save
    for i, layer in enumerate(decoder.layer):
        attention(layer.self_attention, f"decoder.blocks.{i}.attn", cross=False)
        norm(layer.self_attention.layer_norm, f"decoder.blocks.{i}.attn_ln")
        attention(layer.attention, f"decoder.blocks.{i}.cross_attn", cross=True)
        norm(layer.attention.layer_norm, f"decoder.blocks.{i}.cross_attn_ln")
        linear(layer.ffn.linear_0, f"decoder.blocks.{i}.mlp.0")
        linear(layer.ffn.linear_1, f"decoder.blocks.{i}.mlp.2")
        norm(layer.ffn.layer_norm, f"decoder.blocks.{i}.mlp_ln")
    spec.register_vocabulary([f"t{i}" for i in range(SMALL["n_vocab"])])
    spec.config.alignment_heads = [[1, 0], [1, 1]]
    spec.validate()
    spec.optimize(quantization=quantization)
    directory.mkdir(parents=True, exist_ok=True)
    spec.save(str(directory))
    return directory


# Largest error expected per weight type, relative to the largest value of a row or tensor.
TOLERANCE = {"float32": 0.0, "float16": 1e-3, "bfloat16": 8e-3, "int8": 0.5 / 127 + 1e-6, "int16": 1e-3}


@pytest.mark.parametrize("quantization", ["float32", "float16", "bfloat16", "int8", "int16"])
def test_random_model_round_trips_through_ctranslate2(quantization: str, tmp_path: Path) -> None:
    original = _random_whisper(seed=3)
    directory = _write_ct2(original, tmp_path / quantization, quantization)
    model = read_ct2_model(directory / "model.bin")
    assert model.aliases["decoder/projection/weight"] == "decoder/embeddings/weight"
    stored = model.dtypes["decoder/layer_1/attention/linear_1/weight"]
    assert stored == quantization
    dims, state = whisper_state(model)
    assert dims == SMALL
    expected = {key: value.detach().numpy() for key, value in original.state_dict().items()}
    assert set(state) == set(expected)
    for key, value in expected.items():
        assert state[key].dtype == np.float32 and state[key].shape == value.shape, key
        scale = np.max(np.abs(value.reshape(value.shape[0], -1)), axis=1, keepdims=True)
        if quantization == "int16":  # one scale for the whole tensor
            scale = np.full_like(scale, np.max(np.abs(value)))
        error = np.abs((state[key] - value).reshape(value.shape[0], -1))
        assert np.all(error <= TOLERANCE[quantization] * scale + 1e-7), key
    assert read_alignment_heads(directory, dims) == ((1, 0), (1, 1))


def test_converted_float32_model_computes_what_the_original_computes(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    whisper = pytest.importorskip("whisper")
    original = _random_whisper(seed=5)
    directory = _write_ct2(original, tmp_path / "model", None)
    built = ensure_checkpoint(directory, tmp_path / "cache")
    converted = whisper.load_model(str(built.path), device="cpu").eval()
    mel = torch.randn(1, 80, 2 * SMALL["n_audio_ctx"])
    tokens = torch.tensor([[50257, 50362, 11, 22, 33]])
    with torch.no_grad():
        assert torch.equal(original(mel, tokens), converted(mel, tokens))


def test_checkpoint_is_built_once_and_keyed_by_the_model_hash(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    first_dir = _write_ct2(_random_whisper(seed=1), tmp_path / "one", "float16")
    second_dir = _write_ct2(_random_whisper(seed=2), tmp_path / "two", "float16")
    cache = tmp_path / "cache"
    built = ensure_checkpoint(first_dir, cache)
    stamp = built.path.stat()
    again = ensure_checkpoint(first_dir, cache)
    assert again.path == built.path
    assert again.path.stat().st_mtime_ns == stamp.st_mtime_ns and again.path.stat().st_ino == stamp.st_ino
    other = ensure_checkpoint(second_dir, cache)
    assert other.path != built.path
    assert sorted(p.name for p in (cache / "openai-whisper").iterdir()) == sorted(
        [built.path.name, other.path.name]
    )  # no temporary files left behind
    assert built.dims == SMALL and built.alignment_heads == ((1, 0), (1, 1))


def test_unwritable_cache_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    if os.geteuid() == 0:
        blocker = tmp_path / "file-not-dir"
        blocker.write_text("x", encoding="utf-8")
        cache = blocker  # a file where the cache folder should be: fails even for root
    else:
        cache = tmp_path / "locked"
        cache.mkdir(mode=0o500)
    directory = _write_ct2(_random_whisper(seed=1), tmp_path / "model", "float16")
    with pytest.raises(CheckpointError, match="cannot write the converted model"):
        ensure_checkpoint(directory, cache)


# --------------------------------------------------------------------------- the bundled checkpoint file


def test_bundled_checkpoint_loads_in_openai_whisper(bundled: Path, tmp_path_factory: Any) -> None:
    torch = pytest.importorskip("torch")
    whisper = pytest.importorskip("whisper")
    cache = tmp_path_factory.getbasetemp() / "openai-whisper-cache"  # shared with the engine tests
    built = ensure_checkpoint(bundled, cache)
    assert built.dims == TINY_EN_DIMS and built.alignment_heads == TINY_EN_HEADS
    checkpoint = torch.load(built.path, map_location="cpu", weights_only=True)
    assert checkpoint["dims"] == TINY_EN_DIMS
    assert all(t.dtype == torch.float32 for t in checkpoint["model_state_dict"].values())
    model = whisper.load_model(str(built.path), device="cpu")
    assert model.dims == whisper.model.ModelDimensions(**TINY_EN_DIMS)
    assert not model.is_multilingual
    # the output projection is the token embedding, as in every Whisper
    logits_weight = model.decoder.token_embedding.weight
    ct2 = read_ct2_model(bundled / "model.bin")
    assert torch.equal(
        logits_weight, torch.from_numpy(ct2.variables["decoder/embeddings/weight"].astype(np.float32))
    )
