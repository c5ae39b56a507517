"""A private PulseAudio daemon for tests: a null sink whose monitor is the default source.

What plays into the sink (``paplay``) comes back out of the default input device, through the same
path a microphone takes: sounddevice -> PortAudio (ALSA host API) -> the ALSA ``pulse`` plugin
(libasound2-plugins) -> PulseAudio. Clients find the daemon through ``PULSE_SERVER``.

Needs the Debian/Ubuntu packages ``pulseaudio pulseaudio-utils libasound2-plugins libportaudio2``
(``make test`` installs them). Runs as root without ``--system``: PulseAudio only warns.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SINK = "listen_test"
PACKAGES = "pulseaudio pulseaudio-utils libasound2-plugins libportaudio2"


class PulseUnavailable(Exception):
    """PulseAudio cannot run here; the message says why and what to install."""


@dataclass
class PulseServer:
    root: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def server(self) -> str:
        return self.env["PULSE_SERVER"]

    def client_env(self) -> dict[str, str]:
        """os.environ plus what a client needs to reach this daemon."""
        return {**os.environ, **self.env}

    def play(self, path: Path) -> subprocess.Popen[bytes]:
        """Start playing a WAV file into the null sink (returns at once)."""
        return subprocess.Popen(
            ["paplay", f"--device={SINK}", str(path)],
            env=self.client_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def pactl(self, *args: str) -> str:
        done = subprocess.run(
            ["pactl", *args], env=self.client_env(), capture_output=True, text=True, timeout=10
        )
        if done.returncode != 0:
            raise PulseUnavailable(f"pactl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def kill(self) -> None:
        """Kill the daemon at once (a sound server crashing / a device vanishing)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        path = self.root / "pulseaudio.log"
        return path.read_text(errors="replace") if path.exists() else ""


def missing_requirements() -> str | None:
    """Why PulseAudio recording cannot be tested here, or None."""
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            return f"'{tool}' is not installed (apt-get install {PACKAGES})"
    if not glob.glob("/usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so") and not glob.glob(
        "/usr/lib/alsa-lib/libasound_module_pcm_pulse.so"
    ):
        return f"the ALSA pulse plugin is not installed (apt-get install {PACKAGES})"
    return None


def start_pulse(root: Path, timeout: float = 20.0) -> PulseServer:
    """Start a daemon with its own socket and state under ``root``; raise PulseUnavailable."""
    reason = missing_requirements()
    if reason:
        raise PulseUnavailable(reason)
    runtime = root / "runtime"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    socket = root / "native"
    env = {
        "PULSE_SERVER": f"unix:{socket}",
        # the daemon keeps its cookie/state here instead of the real user's home
        "HOME": str(root),
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_RUNTIME_PATH": str(runtime),
        "PULSE_STATE_PATH": str(root / "state"),
    }
    daemon_env = {**os.environ, **env}
    daemon_env.pop("PULSE_SERVER")
    log = open(root / "pulseaudio.log", "wb")  # noqa: SIM115 - lives as long as the daemon
    process = subprocess.Popen(
        [
            "pulseaudio",
            "-n",  # no default.pa: only the modules below (no hardware, no suspend-on-idle)
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--use-pid-file=no",
            "--log-target=stderr",
            "-L",
            f"module-native-protocol-unix socket={socket} auth-anonymous=1",
            "-L",
            f"module-null-sink sink_name={SINK} rate=48000 channels=2",
        ],
        env=daemon_env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    log.close()
    server = PulseServer(root, process, {"PULSE_SERVER": env["PULSE_SERVER"]})
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise PulseUnavailable(f"pulseaudio exited at start: {server.log()[-400:]}")
        try:
            server.pactl("info")
            break
        except (PulseUnavailable, subprocess.TimeoutExpired):
            if time.monotonic() > deadline:
                server.kill()
                raise PulseUnavailable(
                    f"pulseaudio did not answer in {timeout:.0f} s: {server.log()[-400:]}"
                ) from None
            time.sleep(0.1)
    server.pactl("set-default-sink", SINK)
    server.pactl("set-default-source", f"{SINK}.monitor")
    return server
