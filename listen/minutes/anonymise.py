"""People in the minutes: their names, or, when anonymised, their roles.

Anonymised, each person gets one label for the whole document: their role (from the session's
attendee list, else the team's members in ``listen.toml``), numbered when several people share a
role ("Support 1", "Support 2"); people with no known role become "Rep 1", "Rep 2"... when they
submitted clips, else "Member 1"... The same names are also replaced inside free text (notes,
quotes, ideas), whole words only, so "Ana said..." in a rep's note does not give her away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


class People:
    """Maps person names to what the document shows. Identity when not anonymising."""

    def __init__(
        self,
        names: Iterable[str],
        roles: Mapping[str, str],
        *,
        reps: Iterable[str] = (),
        anonymise: bool = False,
    ) -> None:
        self.anonymise = anonymise
        ordered = list(dict.fromkeys(name.strip() for name in names if name and name.strip()))
        self._labels: dict[str, str] = {}
        self._firsts: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        if not anonymise:
            return
        rep_set = {name.strip() for name in reps}
        by_role: dict[str, list[str]] = {}
        for name in ordered:
            role = roles.get(name, "").strip()
            fallback = "Rep" if name in rep_set else "Member"
            key = role[0].upper() + role[1:] if role else fallback
            by_role.setdefault(key, []).append(name)
        for key, members in by_role.items():
            numbered = len(members) > 1 or key in ("Rep", "Member")
            for i, name in enumerate(members, start=1):
                self._labels[name] = f"{key} {i}" if numbered else key
        self._firsts = _first_name_labels(self._labels)
        self._pattern = _name_pattern([*self._labels, *self._firsts])

    def name(self, name: str | None) -> str:
        """How to show a person: their name, or their label when anonymising."""
        if not name:
            return ""
        if not self.anonymise:
            return name.strip()
        name = name.strip()
        label = self._labels.get(name)
        if label is None:  # someone the document did not list up front: still never by name
            label = f"Member {sum(1 for v in self._labels.values() if v.startswith('Member ')) + 1}"
            self._labels[name] = label
            self._firsts = _first_name_labels(self._labels)
            self._pattern = _name_pattern([*self._labels, *self._firsts])
        return label

    def text(self, text: str) -> str:
        """Free text with every known name replaced by its label (when anonymising)."""
        if not self.anonymise or not text or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._replacement(m.group(0)), text)

    def _replacement(self, found: str) -> str:
        return self._labels.get(found) or self._firsts[found]

    @property
    def labels(self) -> dict[str, str]:
        return dict(self._labels)


def _first_name_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """First names of multi-word names, when no other person shares them."""
    firsts: dict[str, list[str]] = {}
    for name in labels:
        parts = name.split()
        if len(parts) > 1 and len(parts[0]) >= 3:
            firsts.setdefault(parts[0], []).append(name)
    return {
        first: labels[names[0]] for first, names in firsts.items() if len(names) == 1 and first not in labels
    }


def _name_pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
