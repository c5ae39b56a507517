"""Spot hindsight blame in what people type about a gap, and offer a gentle reframing.

A gap belongs to the system, never to a person. When its title or description reads like blame
("the rep should have checked", "she failed to", "if only he had asked", "careless", or names a
rep), the session shows a prompt that turns attention back to the system: *What made sense at the
time? What was the rep acting on?* It is a hint, never a block.

To keep false alarms rare, phrases that often describe the system are judged by their subject:
"the policy should have an exception", "the tool failed to load", "if only the form showed the
order" are about the system and pass; "should have checked", "she failed to", "if only we had
asked" are about people and earn a hint. Words that only ever judge people ("careless", "lazy",
"human error", "her fault") always do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from listen.session.text import wordset

HINDSIGHT = "“{phrase}” looks back with hindsight. What made sense at the time? What was the rep acting on?"
POINTING = (
    "“{phrase}” points at a person. What in the system made this easy to miss, "
    "and what would make the right step the easy one?"
)
JUDGING = "“{phrase}” judges a person. Describe what happened and what got in the way, not who."
ASKING = "“{phrase}” asks a person to explain themselves. What made that the reasonable thing to do?"
NAMING = (
    "This names {phrase}. A gap belongs to the system (policy, procedure, tool, product, "
    "knowledge): describe what happened, not who."
)

PERSON_WORDS = wordset(
    """
    he she they you i we someone somebody anyone anybody nobody everyone him her them us me
    rep reps agent agents staff employee employees colleague colleagues teammate team member
    customer customers caller client manager supervisor lead cashier clerk tech technician
    mechanic barista driver courier trainee intern hire guy girl person people user users
    whoever
    """
)
SYSTEM_WORDS = wordset(
    """
    policy policies procedure procedures process processes tool tools system systems app apps
    application software crm form forms page pages site website screen screens portal template
    templates script scripts email emails message messages guideline guidelines rule rules
    workflow workflows checklist faq docs documentation manual manuals product products label
    labels button buttons field fields menu setup settings setting it this that there which what
    order orders invoice refund refunds checkout shop store database kb wiki training sign
    packaging box instructions link links receipt pos terminal machine device account
    subscription plan plans price pricing warranty return returns delivery shipping catalogue
    catalog inventory stock flow step steps option options default defaults notification
    notifications sms alert alerts handbook onboarding
    """
)
ADVERBS = wordset(
    "really just probably obviously clearly simply definitely surely also still maybe perhaps "
    "then at least honestly totally always never actually"
)
DETERMINERS = wordset(
    "a an the some more any fewer less no one two three enough clearer better an extra another its their our"
)
PERSON_ACTIONS = wordset(
    """
    checked asked known told escalated noticed read listened called offered explained followed
    realised realized caught confirmed verified looked tried thought paid looked gone said
    done refunded waited double-checked seen spotted warned mentioned remembered flagged
    """
)
CLAUSE_BREAKS = wordset("and but so because since although though when while")

_HINDSIGHT = re.compile(
    r"\b(should\s*(?:n[o']?t\s+)?(?:have|'ve|of)|could\s*(?:have|'ve|of)|ought\s+to\s+have)\s+([\w'-]+)",
    re.IGNORECASE,
)
_POINTING = re.compile(
    r"\b(failed\s+to|forgot\s+to|forgotten\s+to|neglected\s+to|didn'?t\s+bother|did\s+not\s+bother"
    r"|never\s+bothered|couldn'?t\s+be\s+bothered|did\s+not\s+even|didn'?t\s+even)\b",
    re.IGNORECASE,
)
_IF_ONLY = re.compile(r"\b(if\s+only)\s+(?:the\s+|a\s+|an\s+|our\s+|their\s+)?([\w'-]+)", re.IGNORECASE)
_WHY = re.compile(
    r"\bwhy\s+(?:didn'?t|did\s+not|wasn'?t|was\s+not|couldn'?t|wouldn'?t|would\s+not|did)\s+"
    r"(?:the\s+|our\s+|that\s+)?([\w'-]+)",
    re.IGNORECASE,
)
_JUDGING = re.compile(
    r"\b(careless(?:ly|ness)?|lazy|laziness|sloppy|incompetent|incompetence|clueless|negligent"
    r"|negligence|(?:not|wasn'?t|weren'?t)\s+paying\s+attention|human\s+error|user\s+error"
    r"|operator\s+error|rep\s+error|agent\s+error|staff\s+error|(?:his|her|their|my|your)\s+fault"
    r"|(?:should|ought\s+to)\s+(?:have\s+)?know[n]?\s+better|common\s+sense|should've\s+known\s+better)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[\w'-]+|[.!?;:,\n()]")


@dataclass(frozen=True)
class BlameFlag:
    phrase: str  # the words that read as blame
    start: int  # character offsets in the text
    end: int
    hint: str  # the reframing prompt to show


def find_blame(text: str, names: Iterable[str] = ()) -> list[BlameFlag]:
    """Every blame-like phrase in ``text``, in order. ``names`` are people (reps, attendees) whose
    mention is itself a hint."""
    flags: list[BlameFlag] = []
    name_list = [n for n in names if n and n.strip()]
    is_person = _person_test(name_list)

    for match in _HINDSIGHT.finditer(text):
        following = match.group(2).lower()
        if following in DETERMINERS:
            continue  # "should have a ..." is about having something, not hindsight
        subject = _subject_before(text, match.start())
        about_someone = subject not in SYSTEM_WORDS and following in PERSON_ACTIONS
        if subject is None or is_person(subject) or about_someone:
            flags.append(_flag(text, match.start(), match.end(), HINDSIGHT))
    for match in _POINTING.finditer(text):
        subject = _subject_before(text, match.start())
        failed = match.group(1).lower().startswith("failed")
        if (subject is not None and is_person(subject)) or (
            not failed and (subject is None or subject not in SYSTEM_WORDS)
        ):
            flags.append(_flag(text, match.start(), match.end(), POINTING))
    for match in _IF_ONLY.finditer(text):
        subject = match.group(2).lower()
        if subject not in SYSTEM_WORDS:
            flags.append(_flag(text, match.start(), match.end(1), HINDSIGHT))
    for match in _WHY.finditer(text):
        if is_person(match.group(1).lower()):
            flags.append(_flag(text, match.start(), match.end(), ASKING))
    for match in _JUDGING.finditer(text):
        flags.append(_flag(text, match.start(), match.end(), JUDGING))
    for name in name_list:
        for match in _name_pattern(name).finditer(text):
            hint = NAMING.format(phrase=name.strip())
            flags.append(BlameFlag(match.group(0), match.start(), match.end(), hint))
            break
    flags.sort(key=lambda f: (f.start, f.end))
    return _without_overlaps(flags)


def blame_hints(text: str, names: Iterable[str] = ()) -> list[str]:
    """The reframing prompts for ``text`` (distinct, in order of appearance); empty when it reads
    as being about the system."""
    hints: list[str] = []
    for flag in find_blame(text, names):
        if flag.hint not in hints:
            hints.append(flag.hint)
    return hints


def _flag(text: str, start: int, end: int, template: str) -> BlameFlag:
    phrase = " ".join(text[start:end].split())
    return BlameFlag(phrase, start, end, template.format(phrase=phrase))


def _subject_before(text: str, position: int) -> str | None:
    """The last word before ``position`` in the same clause (skipping adverbs), or None."""
    tokens = _TOKEN.findall(text[:position])
    for token in reversed(tokens):
        word = token.lower()
        if not word[0].isalnum() and word[0] not in "'-":
            return None
        if word in CLAUSE_BREAKS:
            return None
        if word in ADVERBS or word == "not":
            continue
        return word.removesuffix("'s")
    return None


def _person_test(names: list[str]) -> Callable[[str], bool]:
    lowered = set()
    for name in names:
        parts = name.split()
        lowered.add(name.strip().lower())
        if parts and len(parts[0]) >= 3:
            lowered.add(parts[0].lower())

    def is_person(word: str) -> bool:
        return word in PERSON_WORDS or word in lowered

    return is_person


def _name_pattern(name: str) -> re.Pattern[str]:
    """The full name, or its first name (3+ letters), as whole words; case as written."""
    parts = name.split()
    options = [re.escape(" ".join(parts))]
    if len(parts) > 1 and len(parts[0]) >= 3:
        options.append(re.escape(parts[0]))
    return re.compile(r"(?<![\w])(?:" + "|".join(options) + r")(?![\w])")


def _without_overlaps(flags: list[BlameFlag]) -> list[BlameFlag]:
    """Drop a flag that starts inside an earlier flag of the same kind of hint."""
    kept: list[BlameFlag] = []
    for flag in flags:
        if any(k.start <= flag.start < k.end and _kind(k) == _kind(flag) for k in kept):
            continue
        kept.append(flag)
    return kept


def _kind(flag: BlameFlag) -> str:
    return flag.hint.split("”", 1)[-1][:24]
