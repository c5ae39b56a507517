"""The lock files (requirements/*.txt) pin every dependency pyproject.toml names, with hashes, and
agree with each other; pyproject.toml keeps ranges. A dependency added to pyproject.toml without
`make lock` fails here instead of on a fresh machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REQUIREMENTS = REPO / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """``{name: version}`` of a pip-compile output; every pin must carry at least one hash."""
    found: dict[str, str] = {}
    entry: str | None = None
    hashed: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            entry = canonical(match.group(1))
            found[entry] = match.group(2)
        elif entry and line.strip().startswith("--hash=sha256:"):
            hashed.add(entry)
    assert set(found) == hashed, f"{path.name}: pins without a hash: {sorted(set(found) - hashed)}"
    return found


def named(requirements: list[str]) -> set[str]:
    return {canonical(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]) for requirement in requirements}


def test_every_dependency_is_pinned_with_hashes_and_the_locks_agree() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    dev = pins(REQUIREMENTS / "dev.txt")
    app = pins(REQUIREMENTS / "app.txt")
    openai = pins(REQUIREMENTS / "openai.txt")
    assert named(project["dependencies"]) <= set(app)
    assert named(project["dependencies"]) | named(extras["openai"]) <= set(openai)
    assert named(project["dependencies"]) | named(extras["openai"]) | named(extras["dev"]) <= set(dev)
    for lock in (app, openai):  # one version of each package, whichever make target installed it
        assert {name: dev[name] for name in lock} == lock
    assert pins(REQUIREMENTS / "openai-whisper.txt").keys() == {"openai-whisper"}


def test_pyproject_keeps_ranges_for_pip_install() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    exact = [requirement for requirement in project["dependencies"] if "==" in requirement]
    assert exact == []
