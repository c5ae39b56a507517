"""Keep ALSA's own messages ("underrun occurred", "Unknown PCM ...") off the app's screen.

libasound prints those straight to the terminal from C, over whatever the app has drawn. ALSA lets
a program install its own error handler; this installs one that drops them. Harmless where
libasound is missing (another OS, no audio stack): nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_installed: list[Any] = []  # keeps the callback alive as long as the process


def _ignore(filename: bytes, line: int, function: bytes, err: int, fmt: bytes) -> None:
    return None


def silence_alsa_messages() -> bool:
    """Install the quiet handler once; True when ALSA was found and the handler installed."""
    if _installed:
        return True
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        asound = ctypes.cdll.LoadLibrary(name)
        handler = _HANDLER_TYPE(_ignore)
        asound.snd_lib_error_set_handler(handler)
    except (OSError, AttributeError):
        return False
    _installed.append(handler)
    return True
