"""People in the minutes: their names, or, when anonymised, their roles.

Anonymised, each person gets one label for the whole document: their role (from the session's
attendee list, else the team's members in ``listen.toml``), numbered when several people share a
role ("Support 1", "Support 2"); people with no known role become "Rep 1", "Rep 2"... when they
submitted clips, else "Member 1"... The same names are also replaced inside free text (notes,
quotes, ideas, titles), whole words only, so "Ana said..." in a rep's note does not give her away:
full names, first names and surnames alone (when no one else has them), in any case ("ana",
"ANA RUIZ"), with a title ("Mrs. Novak", "Dr Ruiz") and any spacing. A name that is also an ordinary
word ("Will", "May", "Mark") is replaced only where it is capitalised: "Will said" becomes the role,
"we will call" stays.
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
        self._keys: dict[str, str] = {}  # casefolded name with single spaces -> label
        self._firsts: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        if not anonymise:
            return
        ordered = list(dict.fromkeys(_display(name) for name in ordered))
        rep_set = {_display(name) for name in reps}
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
        self._reindex()

    def _reindex(self) -> None:
        self._keys = {_key(name): label for name, label in self._labels.items()}
        self._firsts = _part_labels(self._labels)
        self._pattern = _name_pattern([*self._labels, *self._firsts])

    def name(self, name: str | None) -> str:
        """How to show a person: their name, or their label when anonymising."""
        if not name:
            return ""
        if not self.anonymise:
            return name.strip()
        label = self._keys.get(_key(name)) or self._firsts.get(_key(name))
        if label is None:  # someone the document did not list up front: still never by name
            label = f"Member {sum(1 for v in self._labels.values() if v.startswith('Member ')) + 1}"
            self._labels[_display(name)] = label
            self._reindex()
        return label

    def text(self, text: str) -> str:
        """Free text with every known name replaced by its label (when anonymising)."""
        if not self.anonymise or not text or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._replacement(m.group(0)), text)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` holds a name that ``text()`` replaces: (start, end) character offsets
        (the audio quotes bleep those words)."""
        if not self.anonymise or not text or self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(text) if self._replacement(m.group(0)) != m.group(0)]

    def _replacement(self, found: str) -> str:
        bare = _TITLE_RE.sub("", found)
        key = _key(bare)
        if key in _ORDINARY_WORDS and not bare[:1].isupper():
            return found  # "will", "may": ordinary words unless capitalised
        return self._keys.get(key) or self._firsts.get(key) or found

    @property
    def labels(self) -> dict[str, str]:
        return dict(self._labels)


def _display(name: str) -> str:
    return " ".join(name.split())


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _part_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """First names and surnames of multi-word names (casefolded), when no one else shares them."""
    full = {_key(name) for name in labels}
    parts: dict[str, set[str]] = {}
    for name in labels:
        words = name.split()
        if len(words) > 1:
            for word in (words[0], words[-1]):
                if len(word) >= 2:
                    parts.setdefault(word.casefold(), set()).add(name)
    return {
        part: labels[next(iter(names))]
        for part, names in parts.items()
        if len(names) == 1 and part not in full
    }


_TITLES = r"(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+"
_TITLE_RE = re.compile(rf"(?i)^{_TITLES}")
# First names that are also everyday words: replaced only where capitalised.
_ORDINARY_WORDS = frozenset(
    re.findall(
        r"\w+",
        "will may mark bill grace hope rose sue pat jack frank joy june april august art bob rob don ray "
        "dawn faith chase hunter summer amber ruby pearl iris lily holly ivy violet daisy sky rich penny "
        "sandy drew gene guy van wade miles lane dean king page price rice cook baker long young white "
        "brown green black gray grey hill wood stone may sun star reed",
    )
)


def _name_pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    unique = sorted({_key(w) for w in words}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in unique)
    return re.compile(rf"(?i)(?<!\w)(?:{_TITLES})?(?:{alternatives})(?!\w)")
