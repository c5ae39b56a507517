"""Small text tools shared by the story check and the gap search: words, stop words, stems."""

from __future__ import annotations

import re


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set (for readable word lists)."""
    return frozenset(text.split())


WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOP_WORDS = wordset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each else ever every few for from further get gets got had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's
    like make makes me more most much mustn't my myself no nor not now of off on once one only or
    other ought our ours ourselves out over own really same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up upon us
    very was wasn't way we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's will with won't would wouldn't yes yet you you'd
    you'll you're you've your yours yourself yourselves
    one two three anyone anything else thing things lot lots
    """
)


def words(text: str) -> list[str]:
    """Lower-case word tokens (apostrophes kept inside words: "don't")."""
    return WORD.findall(text.lower().replace("\u2019", "'"))


def stem(word: str) -> str:
    """A light English stem so 'refunds', 'refunded' and 'refunding' meet as 'refund'."""
    w = word.removesuffix("'s")
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "es" and not w.endswith(("ches", "shes", "sses", "xes", "zes")):
                continue  # "shoes" -> "shoe" via "s", "boxes" -> "box" via "es"
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue  # "class", "status", "analysis"
            base = w[: len(w) - len(suffix)] + keep
            if suffix in ("ing", "ed") and len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "shipped" -> "ship"
            return base
    return w


def content_words(text: str) -> list[str]:
    """The words that carry meaning: no stop words, no numbers, at least two letters."""
    return [w for w in words(text) if w not in STOP_WORDS and len(w) > 1 and not w.isdigit()]
