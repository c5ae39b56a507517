"""Sound devices through sounddevice/PortAudio: list them, and pick the one a user names.

Every failure is a ``ListenError`` with one line: PortAudio missing, no input device, no device
matching a name, a device index that does not exist. sounddevice is imported on first use only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from listen.errors import ListenError

PORTAUDIO_MISSING = "PortAudio library not found: install libportaudio2 (apt install libportaudio2)"


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    inputs: int  # max input channels (0: output only)
    outputs: int  # max output channels (0: input only)
    default_rate: float
    is_default_input: bool
    is_default_output: bool

    @property
    def label(self) -> str:
        """How a device is named to a user: ``3: USB Headset``."""
        return f"{self.index}: {self.name}"


def sounddevice_module() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio into a clear ListenError."""
    try:
        import sounddevice
    except OSError:
        raise ListenError(PORTAUDIO_MISSING) from None
    return sounddevice


def list_devices(*, refresh: bool = False) -> list[Device]:
    """Every device PortAudio knows, inputs and outputs. ``refresh`` re-scans the hardware
    (PortAudio otherwise keeps the list it saw when first loaded); only do that while no
    stream is open."""
    sd = sounddevice_module()
    if refresh:
        sd._terminate()
        sd._initialize()
    try:
        raw = sd.query_devices()
        default_in, default_out = _default_indices(sd)
    except sd.PortAudioError as error:
        raise ListenError(f"cannot list sound devices: {error}") from None
    devices = []
    for entry in raw:
        index = int(entry["index"])
        devices.append(
            Device(
                index=index,
                name=str(entry["name"]),
                inputs=int(entry["max_input_channels"]),
                outputs=int(entry["max_output_channels"]),
                default_rate=float(entry["default_samplerate"]),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return devices


def _default_indices(sd: ModuleType) -> tuple[int, int]:
    default_in, default_out = sd.default.device
    if default_in is None or int(default_in) < 0:
        default_in = _host_default(sd, "input")
    if default_out is None or int(default_out) < 0:
        default_out = _host_default(sd, "output")
    return int(default_in), int(default_out)


def _host_default(sd: ModuleType, kind: str) -> int:
    try:
        return int(sd.query_devices(kind=kind)["index"])
    except (sd.PortAudioError, ValueError, KeyError, TypeError):
        return -1


def find_device(spec: int | str | None, kind: Literal["input", "output"]) -> Device:
    """The device to use: the default (``None``), an index, or a case-insensitive part of a name.

    Raises ListenError naming what exists when nothing (or more than one device) matches.
    """
    devices = list_devices()
    usable = [d for d in devices if (d.inputs if kind == "input" else d.outputs) > 0]
    if not usable:
        hint = "is a microphone connected?" if kind == "input" else "are speakers connected?"
        raise ListenError(f"no {kind} device found ({hint})")
    if spec is None or spec == "":
        flag = "is_default_input" if kind == "input" else "is_default_output"
        for device in usable:
            if getattr(device, flag):
                return device
        return usable[0]
    if isinstance(spec, int) or str(spec).strip().isdigit():
        index = int(spec)
        for device in usable:
            if device.index == index:
                return device
        raise ListenError(f"no {kind} device with index {index} ({_choices(usable)})")
    wanted = str(spec).strip().lower()
    exact = [d for d in usable if d.name.lower() == wanted]
    if exact:
        return exact[0]
    matches = [d for d in usable if wanted in d.name.lower()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(d.label for d in matches)
        raise ListenError(f"{kind} device '{spec}' is ambiguous: it matches {names}")
    raise ListenError(f"no {kind} device matches '{spec}' ({_choices(usable)})")


def _choices(devices: list[Device]) -> str:
    shown = ", ".join(d.label for d in devices[:8])
    more = f", and {len(devices) - 8} more" if len(devices) > 8 else ""
    return f"available: {shown}{more}"


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Hide what C libraries print straight to file descriptor 2 while audio runs.

    PortAudio and ALSA write diagnostics such as "Expression '...' failed in
    'src/hostapi/alsa/pa_linux_alsa.c'" to fd 2 when a device fails; the user gets our one-line
    ListenError instead. Python's ``sys.stderr`` keeps writing to the real stderr meanwhile.
    Process-wide: use it in a command's ``run`` or around the TUI, not inside library code.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield  # no usable fd 2 (embedded, closed): nothing to hide
        return
    previous = sys.stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        sys.stderr = os.fdopen(
            os.dup(saved),
            "w",
            buffering=1,
            encoding=getattr(previous, "encoding", None) or "utf-8",
            errors="backslashreplace",
        )
        yield
    finally:
        if sys.stderr is not previous:
            try:
                sys.stderr.close()
            finally:
                sys.stderr = previous
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
