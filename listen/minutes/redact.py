"""Redaction of personal data in text that goes into minutes and reports.

``find_spans(text, region)`` finds personal data and returns where it is: ``Span(start, end,
category)`` with character offsets into ``text`` (so a later step can map them to words and their
timestamps); ``redact(text, region)`` replaces each span by its label. ``region`` is a two-letter
region code (``listen.toml``'s ``region``) used to read national phone numbers.

What is found (label in brackets):

- e-mail addresses [email]: written, internationalised (``jürgen@müller.de``), quoted local
  parts, ``john [at] gmail [dot] com``, ``john(at)gmail(dot)com``, spoken ("john dot smith at
  gmail dot com", any top-level domain), and what a speech model makes of them ("John.Smith at
  gmail.com", "ana.limaatgmail.com", "k.nova.cat.mail.co.uk", a host name right after "my e-mail
  is", and around a mail provider's name "at" heard as "and"/"add"/"as", "underscore" as
  "Undercore", the dot as ".", "dot" or "dotcom": "Maria Undercore, low hand and outlook.com").
  Anything with an ``@`` between two word characters is redacted;
- phone numbers [phone]: every written national and international format, with extensions, found
  by Google's libphonenumber (the ``phonenumbers`` package) for the region, plus numbers shaped like
  phone numbers that are possible but not assigned (``555-213-4477``, ``07700 900123``); digits
  read out one by one or as words ("5, 5, 5, 2...", "0 7 7 0 0...", "double five", "oh seven")
  when they make a possible number; a shorter run right after "my phone is" / "call me on";
- payment cards [card]: 13-19 digits that pass the Luhn check, contiguous, grouped with spaces,
  dots or hyphens (mixed), or read out digit by digit;
- bank accounts [account]: IBANs (mod-97 checked), upper or lower case, grouped by spaces or dashes;
- national ids [id]: US social security numbers, UK National Insurance numbers;
- passports [passport]: a passport number after the word "passport";
- dates of birth [date of birth]: a date after "date of birth", "DOB", "born (on)", "birthday";
- street addresses [address]: house number + street ("42 baker street", "350 5th Ave", "1600
  Pennsylvania Avenue NW, Washington, DC 20500"), German/Dutch/Nordic street names with a number
  ("Hauptstraße 5"), French/Italian/Spanish/Portuguese forms ("7 rue de la Paix", "Via Roma 18");
- postcodes [postcode]: UK and Canadian postcodes anywhere, US ZIP codes after a state or "ZIP";
- IP addresses [ip]: IPv4 (not after "version"/"v"/"build") and IPv6;
- [number]: 7+ digits read out one by one, that are neither a phone nor a card, near a word like
  "number", "account", "card", "reference".

Left alone: dates, times, prices, versions, quantities, order numbers that fail the checksums.

Redaction takes time linear in the text, and little of it where there is little to find: no
pattern scans the text character by character. Each is matched anchored (``_anchored``) only where
one of its matches can begin, found by plain substring searches (``_occurrences``) or from the runs
of digits (``_Digits``): a digit, a number word, a cue word, an "at", a mail provider's name. Of
the runs of digits only the notable ones are listed, in one scan (five digits or more, separators
and a digit after, a dot after, a letter before); a number by itself ("340 took", "14 days", most
of a transcript's) is looked at only near a street word or a phone cue (``_Digits.between``). Text
before an anchor (the local part of a spoken address) is read backwards from a reversed slice of
bounded length; repetitions are possessive or bounded, and candidates are checked in code. Phone
numbers are parsed (``phonenumbers``, imported on the first text that holds seven digits) only
when their digit count fits the region or the country code, and every parse is cached by its text.
The cyclic garbage collector is paused during a search (``_collector_paused``).
"""

from __future__ import annotations

import bisect
import gc
import ipaddress
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter
from typing import NamedTuple

DEFAULT_REGION = "US"

LABELS = {
    "email": "[email]",
    "phone": "[phone]",
    "card": "[card]",
    "account": "[account]",
    "id": "[id]",
    "passport": "[passport]",
    "birth": "[date of birth]",
    "address": "[address]",
    "postcode": "[postcode]",
    "ip": "[ip]",
    "number": "[number]",
}
# Two findings that overlap become one span, of the category that comes first here.
PRIORITY = (
    "card", "account", "id", "passport", "birth", "email", "address", "ip", "phone", "postcode", "number",
)  # fmt: skip
_RANK = {category: i for i, category in enumerate(PRIORITY)}

CARD_MIN_DIGITS = 13
CARD_MAX_DIGITS = 19
SPOKEN_MIN_DIGITS = 7  # a run read out digit by digit: shorter is a quantity, not an identifier
CUED_PHONE_MIN_DIGITS = 5  # right after "my phone is": what the model kept of a number
PHONE_MIN_DIGITS = 7
MAX_PHONE_DIGITS = 17  # E.164's 15, a trunk prefix and a spare
WHOLE_RUN_DIGITS = 11  # below this, a run is parsed as one number; above, searched for numbers inside
CUE_WINDOW = 60  # characters before a run in which a cue word counts
CUE_AFTER_WINDOW = 30  # and after it
NEAR_CUE = 25  # "my phone is" this close before a run: the run is the number, whatever is left of it
UNCUED_SINGLES = 8  # eight digits read out one by one are an identifier even with no cue word


@dataclass(frozen=True)
class Span:
    """Personal data at ``text[start:end]``."""

    start: int
    end: int
    category: str

    @property
    def label(self) -> str:
        return LABELS[self.category]


# --------------------------------------------------------------------------- words

_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
    "eighty": "8", "ninety": "9",
}  # fmt: skip
_DW = "zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEEN = "|".join(_TEENS)
_TEN = "|".join(_TENS)
_END = r"(?![\w'’])"  # end of a number word ("o'clock" is not "o")

# --------------------------------------------------------------------------- e-mail

_LOCAL_CH = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL_RE = re.compile(
    rf"(?:\"[^\"\r\n]{{1,64}}\"|(?<!{_LOCAL_CH}){_LOCAL_CH}++)@(?:\[[0-9A-Fa-f.:]{{1,45}}\]|[\w-]++(?:\.[\w-]++)*+)"
)
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\.)"
_JOIN = rf"(?:{_DOT}|\s+(?:underscore|dash|hyphen)\s+|[_-])"
_NAMEW = r"[^\W_]{1,40}"
# Words that stand before "at" in ordinary speech ("look at example dot com", "is at ...").
_NOT_LOCAL = (
    "is|are|was|were|be|been|am|look|looks|looked|looking|arrive|arrived|stay|stayed|meet|met|"
    "work|works|worked|live|lives|lived|me|us|him|her|them|it|you|home|here|there|site|website|"
    "page|shop|store|office|all|just|only|still|even|back|up|down|out|off|good|great|best|open|"
    "based|located|available|aim|aimed|point|pointed|laugh|laughed|smile|smiled|call|called|"
    "reach|reached|see|saw|seen|stop|stopped|start|started|end|ended|and|or|but|not|no|that|this|"
    "which|who|what|where|when|then|than|twice|once|again|later|today|tomorrow|yesterday|hit|"
    "hosted|sold|bought|listed|posted|found|anyone|someone|everyone|nobody|us|in|on|into|onto|from|"
    "for|with|by|of|via|the|a|an|my|your|our|their|his|its|people|customers|users|folks|staff"
)
# "john dot smith at gmail dot com": read from each "at", the local part backwards (a reversed slice
# matched at its start, _JOIN spelt backwards), the host forwards.
_SPOKEN_LOCAL_REVERSED_RE = re.compile(
    rf"(?i){_NAMEW}(?:(?:\s*[\])}}>]\s*tod\s*[\[({{<]\s*|\s+tod\s+|\.|\s+(?:erocsrednu|hsad|nehpyh)\s+|[_-])"
    rf"{_NAMEW}){{0,4}}(?![\w.@-])"
)
_AT_DOMAIN_RE = re.compile(
    rf"(?i)(?P<at>{_AT})(?P<domain>{_NAMEW}(?:{_DOT}{_NAMEW}){{0,3}})(?P<dot>{_DOT})(?P<tld>[^\W\d_]{{2,24}})(?!\w)"
)
SPOKEN_LOCAL_REACH = 5 * 40 + 4 * 16  # five words of a local part and the four joins between them
_MAIL_HOSTS = "gmail|googlemail|outlook|hotmail|yahoo|icloud|aol|proton|protonmail|live|msn|gmx|mail"
# A speech model glues "at" to the host: "ana.limaatgmail.com", or to a dotted name before it
# ("k.nova.cat.mail.co.uk": "k.novak at hotmail.co.uk"; "chat.gmail.com" is a host, not that).
_GLUED_AT_RE = re.compile(
    rf"(?i)(?<![\w.@-])(?P<local>[\w.-]{{1,64}}?)at(?P<dot>\.)?(?:{_MAIL_HOSTS})\.[a-z]{{2,24}}"
    r"(?:\.[a-z]{2,24})?(?!\w)"
)
_EMAIL_CUE_RE = re.compile(
    r"(?i)\b(?:e-?mail(?:\s+address)?|mail|address|inbox)\s*(?:is|was|:)\s*"
    r"|\b(?:write\s+to|email\s+me\s+at|mail\s+me\s+at)\s+"
)
_HOST_AFTER_CUE_RE = re.compile(r"(?:[^\W_][\w'-]{0,40}\s+){0,4}?[^\W_][\w.-]{0,80}\.[a-z]{2,24}(?!\w)")

# What a speech model writes for an address read out, around a host it can hear: "Maria Undercore,
# low hand and outlook.com", "Tom Underscore Baker and gmail.com", "mike ross at hotmail dot com",
# "honor not lemur as email.com" (the model's "gmail"), "david underscore ortiz at outlookdotcom".
# Found from the host: a mail provider with a top-level domain however the dot came out, or any
# host name with a written dot after a local part that says "underscore" (or the model's
# "undercore", "under score"); then the words before it: "at" (or what the model heard: "and",
# "add", "ad", "as") and up to six words of the local part.
_MAIL_PROVIDERS = frozenset((*_MAIL_HOSTS.split("|"), "email"))
_PROVIDER_TLDS = frozenset(
    ("com", "net", "org", "me", "io", "co", "uk", "de", "fr", "es", "it", "nl", "be", "ch", "at", "se", "no",
     "dk", "fi", "ie", "pl", "pt", "br", "ca", "au", "nz", "in", "jp", "mx", "us", "info", "biz")
)  # fmt: skip
_TLD = r"(?P<tld>co(?:\s*\.\s*|\s*dot\s*)uk|[^\W\d_]{2,24})(?!\w)"
_PROVIDER_TLD_RE = re.compile(
    rf"(?i)(?<![\w.@-])(?P<provider>{_MAIL_HOSTS}|email)(?P<dot>\s*\.\s*|\s*dot\s*|\s+){_TLD}"
)
_HOST_TLD_RE = re.compile(rf"(?i)(?<![\w.@-])(?P<host>[^\W_][\w-]{{0,40}})(?:\.|\s+dot\s+){_TLD}")
_LOCAL_WORD = r"[^\W_]{1,40}"
_NOT_TLD_RE = re.compile(r"\W|dot")
_LOCAL_WORDS_RE = re.compile(r"[^\W_]+")
_AT_BEFORE_RE = re.compile(r"(?i)(?:\s*,?\s+(?P<at>at|and|add|ad|as)\s+|\s*@\s*)\Z")
# The local part, read backwards from the "at" (a reversed string, matched at its start: the cost is
# the words taken, not the text before them).
_LOCAL_REVERSED_RE = re.compile(
    rf"{_LOCAL_WORD}(?:(?:\s*,\s*|\s+|\s*[._-]\s*){_LOCAL_WORD}){{0,5}}(?![\w.@'’-])"
)
LOCAL_REACH = 300  # characters before the "at" in which the local part's six words may stand


_UNDERSCORE_WORDS = ("underscore", "undercore", "under score", "under-score")
_JOIN_WORDS = frozenset(("underscore", "undercore", "under", "score", "dot", "dash", "hyphen"))
# Words that end a stretch of talk before an address ("send it to | maria underscore lopez at
# ...", "my email is | mike ross and ..."): the local part is the words after the last of them, and
# does not end on one of them or on a word of _NOT_LOCAL ("log in at outlook.com").
_LOCAL_STOP = frozenset(
    (
        "i", "we", "he", "she", "they", "it", "me", "us", "you", "him", "her", "them", "my", "your", "our",
        "their", "his", "its", "this", "that", "the", "a", "an", "to", "in", "on", "into", "onto", "from",
        "for", "with", "by", "of", "at", "as", "via", "about", "between", "and", "is", "are", "was",
        "were", "be", "send", "sent", "write", "wrote", "email", "mail", "contact", "use", "used", "using",
        "address", "account", "receipt", "invoice", "please", "thanks", "yes", "okay", "ok", "both",
        "either", "known", "registered", "moved", "switched", "migrated", "also", "too", "now", "then",
        "old", "new", "one", "ones", "same", "such", "people", "customers", "users", "accounts",
    )
)  # fmt: skip
_NOT_LOCAL_WORDS = frozenset(_NOT_LOCAL.split("|"))
_NOT_LAST = _LOCAL_STOP | _NOT_LOCAL_WORDS
_NOT_AFTER_HOST_RE = re.compile(r"(?i)\s+(?:addresses|accounts|users|customers|inboxes|domains|servers)\b")
_MAIL_CUE_BEFORE_RE = re.compile(r"(?i)\b(?:e-?mail|mail|address|inbox|write\s+to|reach\s+me|contact)\b")


_ARTICLE_BEFORE_RE = re.compile(r"(?i)(?<!\w)(?:the|a|an)\s+$")


def _after_article(text: str, start: int) -> bool:
    """A word after "the", "a", "an" names a thing; a local part is a name."""
    return _ARTICLE_BEFORE_RE.search(text, max(0, start - 8), start) is not None


def _heard_emails(text: str, host_points: list[int], underscores: Windows) -> Iterator[Span]:
    """Spoken addresses as a speech model writes them, found from their host (see above): a mail
    provider's (``host_points``: where their names are), or any host after "underscore"."""
    hosts = {m.start(): m for m in _scan(_HOST_TLD_RE, text, underscores)}
    hosts.update((m.start(), m) for m in _scan_from(_PROVIDER_TLD_RE, text, host_points, 10, 60))
    for _, host in sorted(hosts.items()):
        tld = _NOT_TLD_RE.sub("", host.group("tld").lower())
        provider = "provider" in host.re.groupindex
        if provider and tld not in _PROVIDER_TLDS and tld != "couk":
            continue
        if provider and not host.group("dot").strip() and tld not in ("com", "net", "org"):
            continue  # "gmail is down": a space is a dot only before com, net, org
        if _NOT_AFTER_HOST_RE.match(text, host.end()):
            continue  # "gmail.com addresses", "outlook.com users": the domain, not an address
        at_word = _AT_BEFORE_RE.search(text, max(0, host.start() - 24), host.start())
        if at_word is None:
            continue
        local_end = at_word.start()
        local = _LOCAL_REVERSED_RE.match(text[max(0, local_end - LOCAL_REACH) : local_end][::-1])
        if local is None:
            continue
        local_start = local_end - local.end()
        words = list(_LOCAL_WORDS_RE.finditer(text[local_start:local_end]))
        kept: list[re.Match[str]] = []  # the words after the last one that ends a stretch of talk
        for word in words:
            kept = [] if word.group().lower() in _LOCAL_STOP else [*kept, word]
        if (
            not kept
            or kept[-1].group().lower() in _NOT_LAST
            or any(w.group().lower() in _MAIL_PROVIDERS or w.group().lower() == "com" for w in kept)
        ):
            continue  # "log in at outlook.com", "outlook.com and gmail.com"
        start = local_start + kept[0].start()
        if len(kept) == 1 and _after_article(text, start):
            continue  # "the logo at yahoo.com"
        stretch = text[start:local_end]
        joined = any(w.group().lower() in _JOIN_WORDS for w in kept) or any(ch in stretch for ch in "._-")
        if not provider and not any(w.group().lower() in ("underscore", "undercore", "under") for w in kept):
            continue  # any host, only after "underscore": "maria underscore lopez and acme.com"
        at = (at_word.group("at") or "@").lower()
        if at in ("and", "add", "ad"):
            cued = _MAIL_CUE_BEFORE_RE.search(text, max(0, start - 80), start) is not None
            if not (joined or cued):
                continue  # "billing and outlook.com": "and" is an "at" only in an address's shape
        elif provider and not host.group("dot").strip() and at != "at":
            continue
        yield Span(start, host.end(), "email")


_DOMAIN_RE = re.compile(r"\[[0-9A-Fa-f.:]{1,45}\]|[\w-]++(?:\.[\w-]++)*+")
_LOCAL_PUNCT = frozenset(".!#$%&'*+/=?^_`{|}~-")
_AT_HOST_RE = re.compile(r"\s*[^\W_]{1,40}(?:\.|\s+dot\s+|\s*[\[({<]\s*dot\s*[\])}>]\s*)[^\W_]")
_AT_TRIGGERS = (" at ", "(at)", "[at]", "{at}", "<at>", " at\t", "\tat ")
_HEARD_HOST_TRIGGERS = (*_MAIL_HOSTS.split("|"), "email")
_EMAIL_CUE_TRIGGERS = ("mail", "address", "inbox", "write to")


def _written_emails(text: str) -> Iterator[Span]:
    """Anything with an @ between word characters: found from each @, in time linear in the text
    (the local part is walked back at most to the previous @)."""
    p = text.find("@")
    previous = 0
    while p != -1:
        left = p
        if p > 0 and text[p - 1] == '"':
            quote = text.rfind('"', max(previous, p - 66), p - 1)
            if quote != -1 and "\n" not in text[quote:p]:
                left = quote
        else:
            while left > previous and (text[left - 1].isalnum() or text[left - 1] in _LOCAL_PUNCT):
                left -= 1
        domain = _DOMAIN_RE.match(text, p + 1)
        resume = p + 1
        if left < p and domain is not None:
            yield Span(left, domain.end(), "email")
            resume = domain.end()
        previous = p + 1
        p = text.find("@", resume)


def _glued_starts(text: str, lowered: str, hosts: list[int]) -> list[int]:
    """Where "ana.lima" begins in "ana.limaatgmail.com" (or "k.nova.c" in "k.nova.cat.mail.co.uk"):
    the run of name characters before an "at" glued to a host."""
    found = set()
    for host in hosts:
        at = host - 3 if lowered.startswith("at.", host - 3) else host - 2
        if at < 1 or not lowered.startswith("at", at):
            continue
        start, limit = at, max(0, at - 64)
        while start > limit and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
            start -= 1
        found.add(start)
    return sorted(found)


def _spoken_emails(text: str, points: list[int]) -> Iterator[tuple[int, int, str, re.Match[str]]]:
    """(start, end, local part, the rest) of each spoken address around an "at" in ``points`` whose
    local part is not a word of ordinary speech before "at" ("look at example dot com")."""
    resume = 0
    for point in sorted(points):
        local_end = point
        while local_end > 0 and text[local_end - 1].isspace():
            local_end -= 1
        if local_end < resume:
            continue
        rest = _AT_DOMAIN_RE.match(text, local_end)
        if rest is None:
            continue
        before = text[max(0, local_end - SPOKEN_LOCAL_REACH) : local_end][::-1]
        local = _SPOKEN_LOCAL_REVERSED_RE.match(before)
        if local is None or local.group(0)[::-1].lower() in _NOT_LOCAL_WORDS:
            continue
        start = local_end - local.end()
        yield start, rest.end(), text[start:local_end], rest
        resume = rest.end()


def _emails(text: str, lowered: str) -> Iterator[Span]:
    if "@" in text:
        yield from _written_emails(text)
    points = [p for n in _AT_TRIGGERS for p in _find_all(lowered, n) if _AT_HOST_RE.match(text, p + 4)]
    for start, end, local, m in _spoken_emails(text, points):
        spoken_at = m.group("at").strip().lower() == "at"
        if spoken_at and m.group("dot") == "." and not m.group("tld").islower():
            continue  # "at noon.Then": a missing space, not a host name
        if local.isalnum() and _after_article(text, start):
            continue  # "the logo at yahoo.com": a thing at a site
        yield Span(start, end, "email")
    host_points = [p for host in _HEARD_HOST_TRIGGERS for p in _find_all(lowered, host)]
    for m in _anchored(_GLUED_AT_RE, text, _glued_starts(text, lowered, host_points)):
        if not m.group("dot") or "." in m.group("local"):
            yield Span(m.start(), m.end(), "email")
    underscores = _windows(text, [p for word in _UNDERSCORE_WORDS for p in _find_all(lowered, word)], 10, 260)
    yield from _heard_emails(text, host_points, underscores)
    cues = {
        p - k
        for needle in _EMAIL_CUE_TRIGGERS
        for p in _find_all(lowered, needle)
        for k in (0, 1, 2)
        if p >= k
    }
    for cue in _anchored(_EMAIL_CUE_RE, text, sorted(cues)):
        host = _HOST_AFTER_CUE_RE.match(text, cue.end())
        if host and "." in host.group(0).split()[-1].strip("."):
            yield Span(host.start(), host.end(), "email")


# --------------------------------------------------------------------------- windows

Windows = list[tuple[int, int]]


def _find_words(haystack: str, word: str) -> Iterator[int]:
    """Where ``word`` (letters) stands as a word (not "o" in "dot", not "one" in "phone"). The
    engine skips at C speed to each occurrence with no ASCII letter either side; the rest of the
    test is done here, on the few that are left."""
    for p in _occurrences(haystack, word, _word_re(word)):
        end = p + len(word)
        before_ok = p == 0 or not haystack[p - 1].isalpha()
        if before_ok and (end == len(haystack) or not haystack[end].isalpha()):
            yield p


FIND_HITS = 32  # occurrences of a word tested one by one before the engine takes over
TOKENS_FROM = 20_000  # characters from which a text's distinct words are gathered (_absent)
_tokens = threading.local()  # .last: the long text this thread searches, and its distinct words


def _absent(haystack: str, needle: str) -> bool:
    """Whether a long ``haystack`` surely does not hold ``needle`` (without white space): it is in
    none of its distinct words, joined (a few KB where the text has a megabyte; two hundred trigger
    words are looked for, most of them absent). Short texts and other needles: False (search)."""
    if len(haystack) < TOKENS_FROM or not needle or any(ch.isspace() for ch in needle):
        return False
    last = getattr(_tokens, "last", None)
    if last is None or last[0] is not haystack:
        last = (haystack, " ".join(set(haystack.split())))
        _tokens.last = last
    return needle not in last[1]


def _occurrences(haystack: str, word: str, pattern: re.Pattern[str]) -> Iterator[int]:
    """Where ``pattern`` (``word``, then a test of what stands around it) matches. ``str.find``
    scans many times faster than the regex engine; but for a word that occurs often ("o", "st")
    the engine tests its sides without a Python step each, so it takes over after FIND_HITS."""
    if _absent(haystack, word):
        return
    p = haystack.find(word)
    hits = 0
    while p != -1:
        if hits == FIND_HITS:
            yield from (m.start() for m in pattern.finditer(haystack, p))
            return
        if pattern.match(haystack, p):
            yield p
        hits += 1
        p = haystack.find(word, p + 1)


@cache
def _word_re(word: str) -> re.Pattern[str]:
    """``word`` with no ASCII letter right before or after it (the literal first: the engine finds
    its occurrences as fast as ``str.find``, and tests the sides without a Python call)."""
    w = re.escape(word)
    return re.compile(rf"{w}(?<![A-Za-z]{w})(?![A-Za-z])")


@cache
def _word_start_re(word: str) -> re.Pattern[str]:
    """``word`` with no word character (``isalnum`` or "_") right before it."""
    w = re.escape(word)
    return re.compile(rf"{w}(?<!\w{w})")


@cache
def _spaced_word_re(word: str) -> re.Pattern[str]:
    """``word`` after a space (``isspace``) and before no letter or digit (``isalnum``)."""
    w = re.escape(word)
    return re.compile(rf"{w}(?<=\s{w})(?![^\W_])")


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    if _absent(haystack, needle):
        return
    p = haystack.find(needle)
    while p != -1:
        yield p
        p = haystack.find(needle, p + 1)


def _windows(text: str, points: list[int], before: int, after: int) -> Windows:
    """Merged stretches of ``text`` around ``points``, ending at a space (never inside a word)."""
    windows: Windows = []
    for point in sorted(points):
        start, end = max(0, point - before), min(len(text), point + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    for i, (start, end) in enumerate(windows):
        space = _SPACE_RE.search(text, end, min(len(text), end + 64))
        windows[i] = (start, space.start() if space else min(len(text), end + 64))
    return windows


def _scan(pattern: re.Pattern[str], text: str, windows: Windows) -> Iterator[re.Match[str]]:
    """``pattern``'s matches inside ``windows`` (short stretches around a rare word)."""
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


_SPACE_RE = re.compile(r"\s")


def _scan_from(
    pattern: re.Pattern[str], text: str, points: list[int], before: int, after: int
) -> Iterator[re.Match[str]]:
    """``_scan(pattern, text, _windows(text, points, before, after))`` for a pattern whose every
    match begins at one of ``points``: matched there only, not tried at each character."""
    windows = _windows(text, points, before, after)
    starts = [start for start, _ in windows]
    resume = 0
    for point in sorted(set(points)):
        if point < resume:
            continue
        end = windows[bisect.bisect_right(starts, point) - 1][1]
        m = pattern.match(text, point, end)
        if m is not None:
            yield m
            resume = m.end()


def _anchored(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern``'s leftmost, non-overlapping matches, as ``finditer`` finds them, for a pattern
    whose every match begins at one of ``starts`` (sorted): one anchored attempt per start (a digit,
    a cue word, found by C-speed searches) instead of one at every character of the text."""
    resume = 0
    for start in starts:
        if start < resume:
            continue
        m = pattern.match(text, start)
        if m is not None:
            yield m
            resume = max(m.end(), start + 1)


def _lettered(text: str, starts: list[int]) -> list[int]:
    """The runs of digits (of ``starts``) with a letter, or a letter and a space, right before
    them ("GB82", "QQ 12", "SW1A"): where IBANs, National Insurance numbers and postcodes can have
    digits."""
    return [
        d
        for d in starts
        if d >= 2 and (text[d - 1].isalpha() or (text[d - 1] == " " and text[d - 2].isalpha()))
    ]


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _with_letters(text: str, starts: list[int], count: int, letters: frozenset[str]) -> list[int]:
    """Where ``count`` of ``letters`` stand right before a run of ``starts``: the start of an IBAN
    ("GB82", two ASCII letters) or a postcode ("SW1A", "M1": one or two capitals)."""
    return [d - count for d in starts if d >= count and all(ch in letters for ch in text[d - count : d])]


def _ni_starts(text: str, starts: list[int]) -> list[int]:
    """Where a National Insurance number can begin before a run of ``starts``: two letters (any
    the engine's case folding reads as its letters), a white space or none, then two digits."""
    found = set()
    for d in starts:
        if not text[d + 1 : d + 2].isdecimal():
            continue
        if d >= 2 and text[d - 2].isalpha() and text[d - 1].isalpha():
            found.add(d - 2)
        if d >= 3 and text[d - 1].isspace() and text[d - 3].isalpha() and text[d - 2].isalpha():
            found.add(d - 3)
    return sorted(found)


def _word_starts(lowered: str, words: tuple[str, ...]) -> list[int]:
    """Where one of ``words`` begins a word (the rest of the word is the pattern's business)."""
    return sorted({p for word in words for p in _occurrences(lowered, word, _word_start_re(word))})


# --------------------------------------------------------------------------- accounts and cards

_IBAN_RE = re.compile(r"(?<![\w-])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,32}")
_GROUPED_RE = re.compile(r"(?<![\w.,])\d++(?:[ .-]\d++)*+")
_LONG_DIGITS_RE = re.compile(rf"(?<!\d)\d{{{CARD_MIN_DIGITS},{CARD_MAX_DIGITS}}}(?!\d)")
_CARD_SHAPES = {(4, 6, 5), (4, 6, 4)}


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a digit doubled, its two digits added (Luhn)
_DOUBLED_ASCII = str.maketrans("0123456789", "".join(map(str, _DOUBLED)))


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a digit string (card numbers)."""
    kept = sum(map(int, digits[-1::-2]))
    if digits.isascii():
        doubled = sum(map(int, digits[-2::-2].translate(_DOUBLED_ASCII)))
    else:
        doubled = sum(_DOUBLED[int(ch)] for ch in digits[-2::-2])
    return (kept + doubled) % 10 == 0


def iban_ok(compact: str) -> bool:
    """ISO 13616: length 15-34, and the rearranged number modulo 97 is 1."""
    compact = compact.upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _is_card(digits: str) -> bool:
    return CARD_MIN_DIGITS <= len(digits) <= CARD_MAX_DIGITS and luhn_ok(digits)


def _card_shaped(lengths: tuple[int, ...]) -> bool:
    """How cards are written: 4-4-4-4(-3), 4-6-5, 8-8, or one block."""
    if len(lengths) == 1 or lengths in _CARD_SHAPES:
        return True
    return all(n in (4, 8) for n in lengths[:-1]) and 1 <= lengths[-1] <= 8


# The runs of digits a detector other than the street addresses' and the digits read out after a
# phone cue can start from: five digits or more, or separators (only these characters) and then a
# digit (or a character outside ASCII) after them, or a dot after them. Most runs in a text are none
# of these ("340 took", "14 days", "at 14:30"): they are found only where they are looked for
# (``_Digits.between``), near a street word or a phone cue.
# The group "lettered" marks a run with a letter, or a letter and a space, right before it ("GB82",
# "QQ 12", "SW1A"): notable too (IBANs, National Insurance numbers, postcodes start there).
# "linked" marks a run that can go on into another token of a run read out (_Runs): five digits or
# more, or separators of _SEP and a digit (or a character outside ASCII) after it.
_NOTABLE_RUN_RE = re.compile(
    r"\d(?<!\d\d)(?P<lettered>(?<=[^\W\d_]\d)|(?<=[^\W\d_] \d))?\d*+"
    r"(?:(?<=\d{5})(?P<linked>)|(?=[\s,;.xX-]++(?:\d|[^\x00-\x7f]))(?P<spaced>)"
    r"|(?=[\s,;.xX()/–+-]++(?:\d|[^\x00-\x7f]))|(?=\.)|(?(lettered)|(?!)))"
)
_RUN_START_RE = re.compile(r"\d(?<!\d\d)")


class _Digits:
    """The runs of digits of a text a detector can start from, found once (``spans``, ``starts``:
    the notable runs, see _NOTABLE_RUN_RE; ``lettered``: those with a letter, or a letter and a
    space, right before them); the others only in a stretch of text (``between``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.any = _DIGITS_RE.search(text) is not None
        matches = list(_NOTABLE_RUN_RE.finditer(text)) if self.any else []
        self.spans = [m.span() for m in matches]
        self.starts = [start for start, _ in self.spans]
        self.lettered = _lettered(text, [m.start() for m in matches if m.group("lettered") is not None])
        self.linked = [m.start() for m in matches if m.lastgroup in ("linked", "spaced")]

    @classmethod
    def of(cls, text: str) -> _Digits:
        return cls(text)

    def between(self, low: int, high: int) -> list[int]:
        """Where every run of digits that starts in [low, high) starts."""
        return [m.start() for m in _RUN_START_RE.finditer(self.text, max(0, low), max(0, high))]

    def of_length(self, low: int, high: int) -> list[int]:
        """Where the notable runs of ``low`` to ``high`` digits start (any run of five or more;
        a shorter one only if a separator and a digit, or a dot, follow it)."""
        return [start for start, end in self.spans if low <= end - start <= high]

    def grouped(self, text: str, separators: str, alone: int, then: str = "") -> list[int]:
        """Where the runs start that have ``alone`` digits or more, or a separator after them and
        then a digit or one of ``then`` (a group of a longer number may follow): "340 took" starts
        no card and no phone number."""
        return [
            start
            for start, end in self.spans
            if end - start >= alone
            or (
                text[end : end + 1] in separators
                and end + 1 < len(text)
                and (text[end + 1].isdecimal() or text[end + 1] in then)
            )
        ]


def _accounts(text: str, digits: _Digits) -> Iterator[Span]:
    for m in _anchored(_IBAN_RE, text, _with_letters(text, digits.lettered, 2, _ASCII_LETTERS)):
        found = m.group(0)
        # The pattern is greedy: shorten it to the longest prefix that is a valid IBAN.
        for end in range(len(found), 14, -1):
            if not found[end - 1].isalnum() or (end < len(found) and found[end].isalnum()):
                continue  # never cut inside a group, never keep a separator
            if iban_ok(found[:end].replace(" ", "").replace("-", "")):
                yield Span(m.start(), m.start() + end, "account")
                break


def _cards(text: str, digits: _Digits) -> Iterator[Span]:
    for m in _anchored(_LONG_DIGITS_RE, text, digits.of_length(CARD_MIN_DIGITS, CARD_MAX_DIGITS)):
        if luhn_ok(m.group(0)):
            yield Span(m.start(), m.end(), "card")
    # A run by itself is no grouped card: only the runs a separator and a digit follow.
    for m in _anchored(_GROUPED_RE, text, digits.grouped(text, " .-", len(text) + 1)):
        run = m.group(0)
        if len(run) < CARD_MIN_DIGITS:
            continue  # "340", "2026-11-23": too few digits for a card, whatever the grouping
        blocks = _DIGITS_RE.findall(run)
        lengths = tuple(map(len, blocks))
        if len(blocks) < 2 or sum(lengths) < CARD_MIN_DIGITS:
            continue  # "+44 20 7946 0958": too few digits for a card in all its groups
        if _is_card("".join(blocks)):
            yield Span(m.start(), m.end(), "card")
            continue
        groups = [g.span() for g in _DIGITS_RE.finditer(run)]
        i = 0
        while i < len(groups):  # a card among other numbers: "on 2026-11-23 4111 1111 1111 1111"
            if lengths[i] not in (4, 8):  # written cards start with a block of four (or eight)
                i += 1
                continue
            total, j, hit = 0, i, None
            while j < len(groups) and total + lengths[j] <= CARD_MAX_DIGITS:
                total += lengths[j]
                shaped = total >= CARD_MIN_DIGITS and _card_shaped(lengths[i : j + 1])
                if shaped and luhn_ok("".join(blocks[i : j + 1])):
                    hit = j
                j += 1
            if hit is not None:
                yield Span(m.start() + groups[i][0], m.start() + groups[hit][1], "card")
                i = hit + 1
            else:
                i += 1


# --------------------------------------------------------------------------- digits read out

_TOKEN = (
    rf"(?:(?:double|triple)[\s-]+(?:(?:{_DW}){_END}|\d(?!\d))|(?:{_TEN}){_END}(?:[\s-](?:{_UNITS}){_END})?"
    rf"|(?:{_TEEN}){_END}|hundred{_END}|(?:{_DW}){_END}|\d{{1,19}}(?!\d))"
)
# "4.5.5.5.1": single digits the model joined with dots, a digit at a time (never "4.99" or "1.25")
_SEP = r"(?:\s*[,;]\s*|\s*\.\s+|(?<=(?<!\d)\d)\.(?=\d(?!\d))|\s*-\s*|\s+|(?<=\d)x(?=\d))"
_RUN_RE = re.compile(rf"(?i)(?<![\w.'’-]){_TOKEN}(?:{_SEP}{_TOKEN})*+")
_TOKEN_RE = re.compile(rf"(?i){_TOKEN}")
# _RUN_RE for a run of written digits only, much cheaper than trying every number word at each
# token. Both take the same separators (only these characters: _SEP_STRETCH_RE); inside a stretch
# of them only a digit can begin a token, so the two matches are the same unless a token (a number
# word) begins right after the stretch that follows the digits' match, or a character outside
# ASCII does (the engine's case folding): then _RUN_RE decides.
_DIGIT_SEP = _SEP.replace("(?<=\\d)x(?=\\d)", "(?<=\\d)[xX](?=\\d)")
_DIGIT_RUN_RE = re.compile(rf"(?<![\w.'’-])\d{{1,19}}(?!\d)(?:{_DIGIT_SEP}\d{{1,19}}(?!\d))*+")
_SEP_STRETCH_RE = re.compile(r"[\s,;.xX-]++")


def _run_at(text: str, start: int) -> re.Match[str] | None:
    """``_RUN_RE.match(text, start)``, the cheap way for a run of written digits."""
    if text[start].isdecimal():
        m = _DIGIT_RUN_RE.match(text, start)
        if m is None:
            return None  # inside a word or a decimal, or more than 19 digits: _RUN_RE fails too
        stretch = _SEP_STRETCH_RE.match(text, m.end())
        if stretch is None or stretch.end() == len(text):
            return m
        after = text[stretch.end()]
        if after.isascii() and (
            after.isdecimal() or after not in _WORD_INITIALS or not _TOKEN_RE.match(text, stretch.end())
        ):
            return m
    return _RUN_RE.match(text, start)


_WORD_INITIALS = frozenset("zontfsehdZONTFSEHD")  # the first letters of _TOKEN's number words


_WRITTEN_RUN_RE = re.compile(r"\d{1,19}(?:[\s,;.x-]+\d{1,19})*")  # a run with no number words
_PLUS_BEFORE_RE = re.compile(r"(?i)(?:\+|\bplus\s+)$")
_CUE_RE = re.compile(
    r"(?i)\b(?:(?P<passport>passport)"
    r"|(?P<id>social\s+security|ssn|social|national\s+insurance|ni\s+number|tax\s+id|national\s+id)"
    r"|(?P<phone>phone|mobile|cell|telephone|tel|call|ring|dial|reach\s+me|text\s+me|contact\s+me)"
    r"|(?P<card>card|visa|mastercard|amex)"
    r"|(?P<account>account|acct|iban|sort\s+code|routing)"
    r"|(?P<number>number|reference|ref|pin|digits|id))\b"
)
_CUE_WORDS = (
    "passport", "social", "ssn", "national", "ni", "tax", "phone", "mobile", "cell", "tel", "call", "ring",
    "dial", "reach", "text", "contact", "card", "visa", "mastercard", "amex", "account", "acct", "iban",
    "sort", "routing", "number", "reference", "ref", "pin", "digits", "id",
)  # fmt: skip  # the first word of every cue of _CUE_RE


class _Run(NamedTuple):  # a tuple: 25,000 of them in 1 MB of dense transcript
    digits: str
    singles: int  # one digit at a time: "5", "five", "oh"
    words: int  # number words
    lengths: tuple[int, ...]  # digits per token


def _read_run(run: str) -> _Run:
    if run.isdigit():  # one written number, most runs: "340", "2026"
        return _Run(run, int(len(run) == 1), 0, (len(run),))
    if _WRITTEN_RUN_RE.fullmatch(run):  # written digits only: "5, 5, 5, 2", "020 7946 0958"
        tokens = _DIGITS_RE.findall(run)
        lengths = tuple(map(len, tokens))
        return _Run("".join(tokens), lengths.count(1), 0, lengths)
    digits: list[str] = []
    singles = words = 0
    found: list[int] = []
    for token in _TOKEN_RE.findall(run):
        word = token.lower() if token.isascii() else _ascii_letters(token)
        if word[0].isdigit():
            value = word
            singles += len(word) == 1
        else:
            words += 1
            parts = word.replace("-", " ").split()
            if parts[0] in ("double", "triple"):
                value = _DIGIT_WORDS.get(parts[-1], parts[-1]) * (2 if parts[0] == "double" else 3)
                singles += len(value)
            elif parts[0] in _TENS:
                value = _TENS[parts[0]] + (_DIGIT_WORDS[parts[1]] if len(parts) > 1 else "0")
            elif parts[0] in _TEENS:
                value = _TEENS[parts[0]]
            elif parts[0] == "hundred":
                value = "00"
            else:
                value = _DIGIT_WORDS[parts[0]]
                singles += 1
        digits.append(value)
        found.append(len(value))
    return _Run("".join(digits), singles, words, tuple(found))


def _read_digits(run: str) -> _Run:
    """``_read_run`` of a run of written digits (a _DIGIT_RUN_RE match)."""
    if run.isdigit():
        return _Run(run, int(len(run) == 1), 0, (len(run),))
    tokens = _DIGITS_RE.findall(run)
    lengths = tuple(map(len, tokens))
    return _Run("".join(tokens), lengths.count(1), 0, lengths)


@lru_cache(maxsize=256)
def _ascii_letters(token: str) -> str:
    """``token`` lower-cased, with each letter outside ASCII that the engine's case folding takes
    for an ASCII one ("ſix" for "six", "fİve") written as that letter: the words _TOKEN_RE reads."""
    return "".join(_FOLDS.get(ch, ch) for ch in token).lower()


_FOLDS = {  # the four letters outside ASCII that (?i) matches to an ASCII letter
    ch: ascii_letter
    for ch in "\u0130\u0131\u017f\u212a"
    for ascii_letter in "abcdefghijklmnopqrstuvwxyz"
    if re.fullmatch(f"(?i){ascii_letter}", ch)
}


class _Cues:
    """Every cue word around the runs, found in one pass: a run asks for the ones before and after
    it by bisection instead of searching its own stretch of text (25,000 runs in 1 MB)."""

    def __init__(self, text: str, lowered: str) -> None:
        self.text, self.lowered = text, lowered
        self.found: list[tuple[int, int, str]] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.read = False

    def _read(self) -> None:
        """Found on the first question (most texts with a number word never ask)."""
        if not self.read:
            matches = _anchored(_CUE_RE, self.text, _word_starts(self.lowered, _CUE_WORDS))
            self.found = [(m.start(), m.end(), m.lastgroup or "number") for m in matches]
            self.starts = [start for start, _, _ in self.found]
            self.ends = [end for _, end, _ in self.found]
            self.read = True

    def before(self, start: int) -> tuple[str, int] | None:
        """The cue word before ``start`` (its category, and how far before it ends): the nearest
        one, unless a more telling one ("passport", "social security") stands in the window too."""
        self._read()
        chosen: tuple[str, int] | None = None
        low = bisect.bisect_left(self.ends, start - CUE_WINDOW)
        for cue_start, cue_end, category in self.found[low : bisect.bisect_right(self.ends, start)]:
            if cue_start < start - CUE_WINDOW:
                continue
            if chosen is None or chosen[0] not in _TELLING or category in _TELLING:
                chosen = (category, start - cue_end)
        return chosen

    def phone_ends(self) -> list[int]:
        """Where phone cues ("phone", "call", "reach me", ...) end: found by themselves (a few
        words to look for, not every cue word), a superset of the phone cues ``before`` sees."""
        ends = []
        for start in _word_starts(self.lowered, _PHONE_CUE_WORDS):
            m = _CUE_RE.match(self.text, start)
            if m is not None and m.lastgroup == "phone":
                ends.append(m.end())
        return ends

    def after(self, end: int) -> str | None:
        """A cue word just after a run ("... on the Discover card")."""
        self._read()
        i = bisect.bisect_left(self.starts, end)
        if i < len(self.found) and self.found[i][1] <= end + CUE_AFTER_WINDOW:
            return self.found[i][2]
        return None


_PHONE_CUE_WORDS = ("phone", "mobile", "cell", "tel", "call", "ring", "dial", "reach", "text", "contact")
_TELLING = ("id", "passport", "card", "account")  # cues that say more than the nearest "number"


_Found = tuple[int, int, _Run]  # a run of digits or number words: start, end, what it reads


# Where a run of digits can go on into another token: separators (only these characters), then a
# digit (or a character outside ASCII: what the engine's case folding may read as a number word's
# letter) after it. Or it has five digits or more. (Both are notable runs, _NOTABLE_RUN_RE.) The
# other runs of digits are numbers by themselves ("340 took", "14 days"): they matter only after a
# phone cue (_gappy), and are read only there.


class _Runs:
    """The runs of ``_RUN_RE`` (digits and number words read as one number), as ``finditer``
    would find them from every run of digits and every number word, without trying each of them:
    the runs that can hold five digits or more (a linked or long run of digits, a number word)
    are matched at once; the runs of one short number are found only around a phone cue."""

    def __init__(self, text: str, digits: _Digits, words: list[int]) -> None:
        self.text = text
        self.digits = digits
        self.words = words
        self.by_start: dict[int, _Found] = {}
        self.interesting: set[int] = set()
        interesting = set(digits.linked)
        interesting.update(words)
        for w in words:  # a run of digits before a number word, with only separators between
            e = w
            while e > 0 and (text[e - 1].isspace() or text[e - 1] in ",;.xX-"):
                e -= 1
            if e < w and e > 0 and text[e - 1].isdecimal():
                d = e - 1
                while d > 0 and text[d - 1].isdecimal():
                    d -= 1
                interesting.add(d)
        self.interesting = interesting
        self.long = self._match(sorted(interesting), 0)
        self.long_starts = [start for start, _, _ in self.long]
        self.by_start = {found[0]: found for found in self.long}

    def _match(self, starts: list[int], resume: int) -> list[_Found]:
        """The runs from ``starts`` (sorted), skipping those inside a run found before them."""
        runs: list[_Found] = []
        text = self.text
        for start in starts:
            if start < resume:
                continue
            if start not in self.interesting:  # a short number by itself: one token, if any
                if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.'’-"):
                    continue  # inside a word or a decimal: no run (_RUN_RE's look-behind)
                end = _DIGITS_RE.match(text, start).end()  # type: ignore[union-attr]
                found: _Found = (start, end, _Run(text[start:end], int(end - start == 1), 0, (end - start,)))
            elif start in self.by_start:
                found = self.by_start[start]
            else:
                m = _run_at(text, start)
                if m is None:
                    continue
                run = m.group(0)
                found = (start, m.end(), _read_digits(run) if m.re is _DIGIT_RUN_RE else _read_run(run))
            runs.append(found)
            resume = found[1]
        return runs

    def _resume(self, position: int) -> int:
        """Where the long run that begins before ``position`` ends (0 if there is none)."""
        i = bisect.bisect_left(self.long_starts, position) - 1
        return self.long[i][1] if i >= 0 else 0

    def _tokens(self, low: int, high: int) -> list[int]:
        """Every place in [low, high) where a run can begin: a run of digits, a number word."""
        words = self.words[bisect.bisect_left(self.words, low) : bisect.bisect_left(self.words, high)]
        return sorted(self.digits.between(low, high) + words)

    def between(self, low: int, high: int) -> list[_Found]:
        """Every run (long or short) that begins in [low, high)."""
        low = max(0, low)
        return self._match(self._tokens(low, high), self._resume(low))

    def after(self, position: int) -> Iterator[_Found]:
        """Every run that begins at or after ``position``, in order (read as far as asked)."""
        resume = self._resume(position)
        while position < len(self.text):
            chunk = self._match(self._tokens(position, position + 256), resume)
            yield from chunk
            if chunk:
                resume = chunk[-1][1]
            position += 256

    def ends_after(self, position: int, before: int) -> bool:
        """Whether a run that begins before ``before`` ends after ``position``."""
        i = bisect.bisect_left(self.long_starts, before) - 1
        if i >= 0 and self.long[i][1] > position:
            return True
        return any(end > position for _, end, _ in self.between(position - 20, before))


def _spoken_runs(text: str, lowered: str, region: str, digits: _Digits, words: list[int]) -> Iterator[Span]:
    runs = _Runs(text, digits, words)
    cues = _Cues(text, lowered)
    for start, end, run in runs.long:
        if len(run.digits) >= CUED_PHONE_MIN_DIGITS:
            span = _classify(text, start, end, run, region, cues)
            if span is not None:
                yield span
    yield from _gappy(text, runs, cues)


def _classify(text: str, start: int, end: int, run: _Run, region: str, cues: _Cues) -> Span | None:
    n = len(run.digits)
    spoken = run.singles >= 3 or run.words >= 3
    if _is_card(run.digits) and (spoken or _card_shaped(run.lengths)):
        return Span(start, end, "card")
    cue = cues.before(start)
    after = cues.after(end)
    kind = cue[0] if cue is not None else after
    near_phone = cue is not None and cue[0] == "phone" and cue[1] <= NEAR_CUE
    if kind == "card" and (spoken or 10 <= n <= CARD_MAX_DIGITS) and not _plus_before(text, start):
        return Span(start, end, "card")  # a card number read out, a digit lost or doubled
    if near_phone:
        return Span(start, end, "phone")  # what the model kept of a number read out
    if len(run.lengths) < 2 and not spoken:
        if kind in ("account", "id", "passport") and n >= SPOKEN_MIN_DIGITS:
            return Span(start, end, "number" if kind == "account" else kind)
        return None  # one written number: the other detectors' business
    if not spoken and kind is None and not _trunk_shaped(run.digits):
        return None  # written groups with no cue: dates, scores, lists of figures
    if n >= SPOKEN_MIN_DIGITS and (
        _trunk_shaped(run.digits) or _possible_phone(run.digits, region, _plus_before(text, start))
    ):
        return Span(start, end, "phone")
    if n >= SPOKEN_MIN_DIGITS and kind is not None and (spoken or run.lengths[0] < 4):
        return Span(start, end, kind if kind in ("id", "passport") else "number")
    if run.singles >= UNCUED_SINGLES:
        return Span(start, end, "number")
    return None


def _plus_before(text: str, start: int) -> bool:
    """A "+" (or "plus") right before a run: an international number."""
    return _PLUS_BEFORE_RE.search(text, max(0, start - 5), start) is not None


GAP_CHARS = 30  # a misheard word or two between the digits of a number read out, no full stop


def _gappy(text: str, runs: _Runs, cues: _Cues) -> Iterator[Span]:
    """Digits read out after "call me on" with words the model misheard between them ("four one
    time, time, two, six, seven, one"): the runs after a near phone cue, joined. Each starts with
    a short run (fewer than five digits) within NEAR_CUE characters after a phone cue, with no
    run in the CUE_WINDOW characters before it."""
    done: set[int] = set()
    for cue_end in cues.phone_ends():
        for first, _, first_run in runs.between(cue_end, cue_end + NEAR_CUE + 1):
            if first in done:
                continue
            done.add(first)
            if not 0 < len(first_run.digits) < CUED_PHONE_MIN_DIGITS:
                continue
            if runs.ends_after(first - CUE_WINDOW, first):
                continue  # not the first run after the cue
            digits, end = 0, first
            for start, run_end, run in runs.after(first):
                gap = text[end:start]
                if start != first and (len(gap) > GAP_CHARS or any(ch in gap for ch in ".!?")):
                    break
                digits += len(run.digits)
                end = run_end
            if digits < CUED_PHONE_MIN_DIGITS:
                continue
            cue = cues.before(first)
            if cue is not None and cue[0] == "phone" and cue[1] <= NEAR_CUE:
                yield Span(first, end, "phone")


# --------------------------------------------------------------------------- written phones

_PHONE_SEPARATORS = " \t().-/–"  # what _PHONE_RUN_RE takes between digits
_PHONE_RUN_RE = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\+?\d[\d \t().\-/–]*+")
_EXT_RE = re.compile(
    rf"(?i)\s*[,;]?\s*(?:ext(?:ension)?\.?|extn\.?|x)\s*#?\s*(?:\d{{1,6}}|(?:{_DW}){_END}(?:[\s,-]+(?:{_DW}){_END}){{0,5}})(?!\w)"
)
_DATE_LIKE_RE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})$")
_NANP_RE = re.compile(r"^(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]{0,2}\d{3}[ .-]\d{4}$")


@lru_cache(maxsize=64)
def _region_facts(region: str) -> tuple[str, bool]:
    """(national prefix, whether the region dials +1) of a region."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = (metadata.national_prefix or "") if metadata is not None else ""
    return prefix, phonenumbers.country_code_for_region(region) == 1


@lru_cache(maxsize=8192)
def _possible_phone(digits: str, region: str, international: bool = False) -> bool:
    if len(digits) > MAX_PHONE_DIGITS:
        return False
    # What libphonenumber's is_possible_number tests, without a parse: the number's length (after
    # the country code, or the national prefix, if there is one).
    if international:
        return _international_length(digits, local=True)
    return _national_length(digits, region, local=True)


def _phones(text: str, region: str, digits: list[int], covered: list[Span]) -> Iterator[Span]:
    """Written phone numbers; runs already redacted whole (read-out digits, cards) are skipped."""
    starts = [span.start for span in covered]
    signs = [*_find_all(text, "+"), *_find_all(text, "(")]
    for m in _anchored(_PHONE_RUN_RE, text, sorted({*signs, *digits}) if signs else digits):
        if m.end() - m.start() < PHONE_MIN_DIGITS:
            continue  # "340", "14": too short to hold a phone number's digits
        run = m.group(0).rstrip(" \t.-/–(")
        count = sum(map(str.isdigit, run))
        if count < PHONE_MIN_DIGITS or _DATE_LIKE_RE.match(run):
            continue
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and covered[i].end >= m.start() + len(run):
            continue
        start, end = m.start(), m.start() + len(run)
        ext = _EXT_RE.match(text, end)
        if ext:
            end = ext.end()
        found = list(_matched_phones(text, start, end, region))
        if found:
            yield from found
        elif ext or _phone_shaped(run, region):
            yield Span(start, end, "phone")  # a number with an extension is a phone number


def _matched_phones(text: str, start: int, end: int, region: str) -> Iterator[Span]:
    """libphonenumber's valid numbers in ``text[start:end]``: the run whole, or, when it is long
    or starts with a stray "+" ("+ (506) 234-5000"), stretches of whole digit groups inside it.

    Only stretches whose digit count the region's numbers can have are parsed (a parse costs tens
    of microseconds, a hundred digit groups in a row would cost seconds), and every parse is
    cached by its text: a number that comes back costs nothing."""
    candidate = text[start:end]
    groups = [(m.start(), m.end()) for m in _DIGITS_RE.finditer(candidate)]
    total = sum(b - a for a, b in groups)
    international = candidate[:1] == "+" and candidate[1:2].isdigit() and total <= MAX_PHONE_DIGITS
    if international and _possible_phone(
        "".join(candidate[a:b] for a, b in groups), region, international=True
    ):
        yield Span(start, end, "phone")  # "+44 20 7946 0958": as long as a number there can be, valid or not
        return
    if total <= MAX_PHONE_DIGITS and _valid_phone(candidate, region):
        yield Span(start, end, "phone")
        return
    stray_plus = candidate.startswith("+") and not candidate[1:2].isdigit()
    if total < WHOLE_RUN_DIGITS and not stray_plus:
        return  # a short run is one thing (a date, a price, a phone number), not several
    # "+44 20 7946 0958": the digits after a "+" are that number's; only a run too long for one
    # number ("+44 20 7946 0958 415 555 2671") is searched past it.
    one_number = candidate.startswith("+") and not stray_plus and total <= MAX_PHONE_DIGITS
    counts = _national_counts(region)
    i = 0
    while i < len(groups) and not (one_number and i > 0):
        digits, hit = 0, None
        for j in range(i, len(groups)):
            digits += groups[j][1] - groups[j][0]
            if digits > MAX_PHONE_DIGITS:
                break
            if digits >= PHONE_MIN_DIGITS and (digits in counts or "+" in candidate[: groups[i][0]]):
                first = _group_start(candidate, groups[i][0])
                if _valid_phone(candidate[first : groups[j][1]], region):
                    hit = (first, groups[j][1], j)
                elif stray_plus and candidate[first] == "+":
                    # "+ (02) 1234 5000": a stray "+" before a national number, as libphonenumber
                    # reads it too (the number from its "(" or first digit)
                    bare = len(candidate) - len(candidate[first:].lstrip("+ "))
                    if _valid_phone(candidate[bare : groups[j][1]], region):
                        hit = (bare, groups[j][1], j)
        if hit is None:
            i += 1
            continue
        yield Span(start + hit[0], start + hit[1], "phone")
        i = hit[2] + 1


def _group_start(run: str, position: int) -> int:
    """Where a number whose first digit is at ``position`` starts: with its "(" or "+" before it."""
    while position > 0 and (
        run[position - 1] in "(+" or (run[position - 1] == " " and run[:position].rstrip().endswith("+"))
    ):
        position -= 1
    return position


@lru_cache(maxsize=8192)
def _valid_phone(candidate: str, region: str) -> bool:
    """Whether ``candidate`` (one run of a number) is a valid number, international ("+", "00")
    or national in ``region``."""
    international = candidate.lstrip("( ").startswith(("+", "00"))
    digits = "".join(_DIGITS_RE.findall(candidate))
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]  # 00 is the international prefix almost everywhere
    if international and not _international_length(digits[2:] if digits.startswith("00") else digits):
        return False
    if not international and not _national_length(digits, region):
        return False
    import phonenumbers

    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def _international_length(digits: str, local: bool = False) -> bool:
    """Whether the digits after a "+" start with a country code and have as many digits after it as
    that country's numbers can (after a "(0)" trunk prefix too; ``local``: or a local number)."""
    import phonenumbers

    for k in (1, 2, 3):
        code = int(digits[:k]) if len(digits) >= k else 0
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            lengths, local_lengths, prefix = _country_lengths(code)
            if local:
                lengths = lengths | local_lengths
            national = digits[k:]
            n = len(national)
            return n in lengths or bool(prefix and national.startswith(prefix) and n - len(prefix) in lengths)
    return False


@lru_cache(maxsize=256)
def _country_lengths(code: int) -> tuple[frozenset[int], frozenset[int], str]:
    """(possible lengths of national numbers, of local-only numbers, the national prefix) of a
    country calling code, over every region that uses it."""
    import phonenumbers

    lengths: set[int] = set()
    local: set[int] = set()
    prefix = ""
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]:
        if region == "001":
            metadata = phonenumbers.PhoneMetadata.metadata_for_nongeo_region(code)
        else:
            metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata is None or metadata.general_desc is None:
            return frozenset(range(1, MAX_PHONE_DIGITS + 1)), frozenset(), ""
        lengths.update(metadata.general_desc.possible_length or range(1, MAX_PHONE_DIGITS + 1))
        local.update(metadata.general_desc.possible_length_local_only or ())
        prefix = prefix or metadata.national_prefix or ""
    return frozenset(lengths), frozenset(local), prefix


def _national_length(digits: str, region: str, local: bool = False) -> bool:
    """Whether a national number of the region can have as many digits (with or without its
    national prefix or the region's country code in front; ``local``: or a local number)."""
    lengths, prefix, code = _region_lengths(region)
    if local:
        lengths = lengths | _region_local_lengths(region)
    n = len(digits)
    return (
        n in lengths
        or bool(prefix and digits.startswith(prefix) and n - len(prefix) in lengths)
        or (digits.startswith(code) and n - len(code) in lengths)
    )


@lru_cache(maxsize=64)
def _national_counts(region: str) -> frozenset[int]:
    """How many digits a national number of the region can be written with (a quick test before
    ``_national_length``)."""
    lengths, prefix, code = _region_lengths(region)
    return frozenset({*lengths, *(n + len(prefix) for n in lengths), *(n + len(code) for n in lengths)})


@lru_cache(maxsize=64)
def _region_local_lengths(region: str) -> frozenset[int]:
    """The lengths of the region's numbers that can be dialled only locally (7 in the US)."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None:
        return frozenset()
    return frozenset(metadata.general_desc.possible_length_local_only or ())


@lru_cache(maxsize=64)
def _region_lengths(region: str) -> tuple[frozenset[int], str, str]:
    """(the possible lengths of national numbers, the national prefix, the country code)."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None:
        return frozenset(range(PHONE_MIN_DIGITS, MAX_PHONE_DIGITS + 1)), "", "\0"
    lengths = frozenset(
        metadata.general_desc.possible_length or range(PHONE_MIN_DIGITS, MAX_PHONE_DIGITS + 1)
    )
    return lengths, metadata.national_prefix or "", str(metadata.country_code)


def _phone_shaped(run: str, region: str) -> bool:
    """A number written like a phone number that libphonenumber finds possible, not assigned."""
    digits = "".join(_DIGITS_RE.findall(run))
    if run.startswith("+"):
        return _possible_phone(digits, region, international=True)
    if run.startswith("00"):
        return _possible_phone(digits[2:], region, international=True)
    national_prefix, nanp = _region_facts(region)
    if nanp and _NANP_RE.match(run):
        return _possible_phone(digits, region)
    if national_prefix and digits.startswith(national_prefix) and len(digits) >= 10:
        return _possible_phone(digits, region)
    return len(_DIGITS_RE.findall(run)) >= 2 and _trunk_shaped(digits)


def _trunk_shaped(digits: str) -> bool:
    """A national number with a trunk 0, as most of Europe, Australia, ... write them (020 7946
    0958): taken whatever the region, as people call from abroad."""
    return digits.startswith("0") and not digits.startswith("00") and 10 <= len(digits) <= 11


# --------------------------------------------------------------------------- ids, passports, birth

_SSN_RE = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])")
_SSN_CUED_RE = re.compile(
    r"(?i)\b(?:ssn|social(?:\s+security)?(?:\s+number)?)\s*(?:is|was|:|#)?\s*(\d{9})(?!\w)"
)
_NINO_RE = re.compile(
    r"(?i)(?<![\w-])(?!bg|gb|nk|kn|tn|nt|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d](?![\w-])"
)
_PASSPORT_RE = re.compile(
    r"(?i)\bpassport(?:\s+(?:number|no\.?|num|#))?\s*(?:is|was|:|#)?\s*"
    r"(?-i:([A-Z]{0,2}\d{6,9}|\d{2}[A-Z]{2}\d{5}|[A-Z]\d{7,8}))(?!\w)"
)
_MONTH = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_ORDW = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|(?:(?:twenty|thirty)[\s-])?(?:{_ORDW}))"
_YEAR = (
    r"(?:\d{4}|(?:nineteen|twenty)[\s-]+(?:(?:"
    + _TEN
    + r")(?:[\s-](?:"
    + _UNITS
    + r"))?|"
    + _TEEN
    + r"|hundred|oh[\s-](?:"
    + _UNITS
    + r")|(?:"
    + _UNITS
    + r")))"
)
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    rf"|(?:the\s+)?{_DAY}(?:\s+of)?\s+(?:{_MONTH})\.?,?\s+{_YEAR}"
    rf"|(?:{_MONTH})\.?\s+(?:the\s+)?{_DAY},?\s+{_YEAR})"
)
_BIRTH_RE = re.compile(
    r"(?i)\b(?:date\s+of\s+birth|birth\s*date|birthday|birth|d\.?o\.?b\.?|born)\b"
    rf"(?:\s*(?:is|was|on|:|-|,))*\s*(?P<date>{_DATE})(?!\w)"
)


def _ids(text: str, lowered: str, digits: _Digits) -> Iterator[Span]:
    for m in _anchored(_SSN_RE, text, digits.of_length(3, 3)):
        yield Span(m.start(), m.end(), "id")
    for m in _anchored(_SSN_CUED_RE, text, _word_starts(lowered, ("ssn", "social"))):
        yield Span(m.start(1), m.end(1), "id")
    for m in _anchored(_NINO_RE, text, _ni_starts(text, digits.lettered)):
        yield Span(m.start(), m.end(), "id")
    for m in _anchored(_PASSPORT_RE, text, _word_starts(lowered, ("passport",))):
        yield Span(m.start(1), m.end(1), "passport")


def _births(text: str, windows: Windows) -> Iterator[Span]:
    for m in _scan(_BIRTH_RE, text, windows):
        yield Span(m.start("date"), m.end("date"), "birth")


# --------------------------------------------------------------------------- addresses, postcodes

_STREETS = (
    "streets|street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|"
    "close|crescent|square|sq|parkway|pkwy|highway|hwy|gardens|row|mews|circle|cir|alley|plaza|"
    "trail|grove|walk|hill|loop|path"
)
_PLAIN_STREETS = frozenset(
    ("street", "road", "avenue", "ave", "lane", "boulevard", "blvd", "highway", "hwy", "parkway", "pkwy",
     "crescent", "terrace", "st", "rd")
)  # fmt: skip
_NUMBER_WORDS = (
    rf"(?:(?:{_UNITS})\s+hundred(?:\s+(?:and\s+)?(?:(?:{_TEN})(?:[\s-](?:{_UNITS}))?|{_TEEN}|{_UNITS}))?"
    rf"|(?:{_TEN})(?:[\s-](?:{_UNITS}))?|{_TEEN}|{_UNITS})"
)
_HOUSE = rf"(?:\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?|{_NUMBER_WORDS})"
_AWORD = r"(?:\d{1,3}(?:st|nd|rd|th)|[^\W\d_][\w'’-]{0,30})"
_ADDRESS_RE = re.compile(
    rf"(?i)(?<![\w.,-])(?P<num>{_HOUSE}),?\s+(?P<words>{_AWORD}(?:\s+{_AWORD}){{0,2}}?)\s+"
    rf"(?P<street>{_STREETS})(?!\w)"
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_UK_POST = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})"
_CA_POST = r"(?:[A-Z]\d[A-Z]\s?\d[A-Z]\d)"
_DIRECTION_UNIT = (
    r"(?:,?\s+(?:NW|NE|SW|SE|N|S|E|W)\.?(?![\w]))?"
    r"(?:,?\s+(?i:apt|apartment|suite|ste|unit|flat|floor|fl|room|\#)\.?\s*\#?\s*\w{1,6}(?!\w))?"
)
# The city is taken only when a state and ZIP code or a postcode closes the address.
_ADDRESS_TAIL_RE = re.compile(
    rf"{_DIRECTION_UNIT}(?:,\s*(?!(?:{_STATES})\b)[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}){{0,2}}"
    rf",?\s+(?:(?:{_STATES})\s+\d{{5}}(?:-\d{{4}})?|{_UK_POST}|{_CA_POST})(?![\w])"
)
_SHORT_TAIL_RE = re.compile(_DIRECTION_UNIT)
_EU_SUFFIXES = (
    "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "damm", "ring", "ufer", "gracht",
    "straat", "laan", "plein", "kade", "steeg", "vej", "gade", "gatan", "vägen",
)  # fmt: skip
_EU_PREFIXES = (
    "rue", "avenue", "boulevard", "bd", "place", "chemin", "allée", "impasse", "quai", "via", "viale",
    "piazza", "corso", "calle", "avenida", "plaza", "paseo", "rua", "praça", "travessa",
)  # fmt: skip
_EU_SUFFIX_RE = re.compile(
    r"(?<![\w])[A-ZÄÖÜÅØÆ][\wäöüßåøæ'-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ring|"
    r"ufer|gracht|straat|laan|plein|kade|steeg|vej|gade|gatan|vägen)\s+\d{1,4}[a-z]?"
    r"(?:\s*,\s*\d{4,5}\s+[A-ZÄÖÜ][\wäöüß-]+)?(?![\w])"
)
_EU_PREFIX_RE = re.compile(
    r"(?<![\w,.-])(?P<num>\d{1,4}[a-z]?,?\s+)?"
    r"(?i:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|via|viale|piazza|corso|calle|avenida|"
    r"plaza|paseo|rua|praça|travessa)\s+(?:(?i:de|du|des|la|le|les|del|della|di|do|da|dos|das)\s+|l'|d')*"
    r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?(?P<after>,?\s+\d{1,4}[a-z]?(?!\w))?"
)
_ADDRESS_CUE_RE = re.compile(
    r"(?i)\b(?:live|lives|living|lived|address|ship|shipped|deliver|delivered|send|sent|located|"
    r"moved|move|stay|staying|based|at)\b"
)
_NOT_STREET_WORDS = frozenset(
    re.findall(
        r"\w+",
        "the a an this that these those on in at of to for by with from my your our their his her its and "
        "or but is was are were be more less days weeks minutes hours times calls years months seconds "
        "people customers items tickets orders steps pages miles km percent per",
    )
)
_POSTCODE_RE = re.compile(rf"(?<![\w-])(?:{_UK_POST}|{_CA_POST})(?![\w-])")
_ZIP_RE = re.compile(
    r"(?i)\b(?:zip(?:\s*code)?|post(?:al)?\s*code|postcode)\b\s*(?:is|was|:)?\s*"
    rf"(?P<code>\d{{5}}(?:-\d{{4}})?|(?-i:{_UK_POST}|{_CA_POST}))(?![\w-])"
)
_STATE_ZIP_RE = re.compile(rf"(?<![\w])(?:{_STATES})\s+(?P<code>\d{{5}}(?:-\d{{4}})?)(?![\w-])")


_STREET_WORDS = tuple(_STREETS.split("|"))
STREET_REACH = 140  # a house number (as words too), three words and the spaces: where the street word is


def _street_words(lowered: str) -> list[int]:
    """Where a street word ("street", "ave", "rd", ...) stands after a space, as _ADDRESS_RE has it."""
    return sorted({p for word in _STREET_WORDS for p in _occurrences(lowered, word, _spaced_word_re(word))})


STREET_TOKENS = 8  # "one hundred and twenty five" and three words of the street's name


def _before_streets(text: str, digits: _Digits, number_words: list[int], streets: list[int]) -> list[int]:
    """The runs of digits and number words with a street word less than STREET_REACH characters
    and at most STREET_TOKENS words after them: where a house number can stand."""
    found: set[int] = set()
    for street in streets:
        low = max(0, street - STREET_REACH)
        near = number_words[bisect.bisect_left(number_words, low) : bisect.bisect_left(number_words, street)]
        starts = sorted(digits.between(low, street) + near)
        if not starts:
            continue
        # A start leaves at most STREET_TOKENS words before the street word when it is at or after
        # the end of the word before the last STREET_TOKENS (the text is split once per street).
        words = text[low:street].rsplit(None, STREET_TOKENS)
        first = bisect.bisect_left(starts, low + len(words[0])) if len(words) > STREET_TOKENS else 0
        found.update(starts[first:])
    return sorted(found)


def _addresses(text: str, lowered: str, digits: _Digits, number_words: list[int]) -> Iterator[Span]:
    streets = _street_words(lowered)
    houses = _before_streets(text, digits, number_words, streets) if streets else []
    for m in _anchored(_ADDRESS_RE, text, houses):
        words = m.group("words").lower().split()
        if any(w in _NOT_STREET_WORDS for w in words):
            continue
        street = m.group("street")
        capitalised = street[0].isupper() and any(w[0].isupper() for w in m.group("words").split())
        cued = _ADDRESS_CUE_RE.search(text, max(0, m.start() - 40), m.start()) is not None
        if not (capitalised or street.lower() in _PLAIN_STREETS or cued):
            continue
        tail = _ADDRESS_TAIL_RE.match(text, m.end()) or _SHORT_TAIL_RE.match(text, m.end())
        yield Span(m.start(), tail.end() if tail else m.end(), "address")
    for m in _anchored(_EU_SUFFIX_RE, text, _suffixed_words(text, lowered)):
        yield Span(m.start(), m.end(), "address")
    prefixes = _word_starts(lowered, _EU_PREFIXES)
    numbered = {d for w in prefixes for d in digits.between(w - 10, w)}
    for m in _anchored(_EU_PREFIX_RE, text, sorted(numbered.union(prefixes))):
        if m.group("num") or m.group("after"):
            yield Span(m.start(), m.end(), "address")
    postcodes = {p for count in (1, 2) for p in _with_letters(text, digits.lettered, count, _UPPER)}
    for m in _anchored(_POSTCODE_RE, text, sorted(postcodes)):
        yield Span(m.start(), m.end(), "postcode")
    for m in _anchored(_ZIP_RE, text, _word_starts(lowered, ("zip", "post"))):
        yield Span(m.start("code"), m.end("code"), "postcode")
    for m in _anchored(_STATE_ZIP_RE, text, _states_before(text, digits.of_length(5, 5))):
        yield Span(m.start("code"), m.end("code"), "postcode")


STREET_WORD_REACH = 60  # characters a German/Dutch/Nordic street name may have before its suffix


def _suffixed_words(text: str, lowered: str) -> list[int]:
    """Where the words ending in a street suffix ("Hauptstraße", "Keizersgracht") begin."""
    found = set()
    for suffix in _EU_SUFFIXES:
        for p in _find_all(lowered, suffix):
            start, limit = p, max(0, p - STREET_WORD_REACH)
            while start > limit and (text[start - 1].isalnum() or text[start - 1] in "_'-"):
                start -= 1
            found.add(start)
    return sorted(found)


def _states_before(text: str, digits: list[int]) -> list[int]:
    """Where a state code would begin before each number ("DC 20500"): two letters, then spaces."""
    found = []
    for digit in digits:
        start = digit
        while start > max(0, digit - 8) and text[start - 1] in " \t":
            start -= 1
        if start < digit and start >= 2 and text[start - 2 : start].isupper():
            found.append(start - 2)
    return found


# --------------------------------------------------------------------------- IP addresses

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4_RE = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)")
_IPV6_RE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_VERSION_BEFORE_RE = re.compile(r"(?i)(?:\bv|\bversion|\bbuild|\brelease|\bfirmware|\bupdate)\s*[:#]?\s*$")


_HEX = frozenset("0123456789abcdefABCDEF")
_COLON_HEX_RE = re.compile(r":(?=[0-9a-fA-F:])")


def _ipv6_starts(text: str) -> list[int]:
    """Where an IPv6 address can begin: before the first colon of a colon followed by a hex digit
    or a colon ("Agent: So" is no address), back over up to four hex digits."""
    found = set()
    for m in _COLON_HEX_RE.finditer(text):
        colon = start = m.start()
        while start > max(0, colon - 4) and text[start - 1] in _HEX:
            start -= 1
        found.add(start)
    return sorted(found)


def _ips(text: str, digits: _Digits) -> Iterator[Span]:
    if text.count(".") >= 3:
        octets = [start for start, end in digits.spans if end - start <= 3 and text.startswith(".", end)]
        for m in _anchored(_IPV4_RE, text, octets):
            if not _VERSION_BEFORE_RE.search(text, max(0, m.start() - 12), m.start()):
                yield Span(m.start(), m.end(), "ip")
    if "::" in text or text.count(":") >= 7:
        for m in _anchored(_IPV6_RE, text, _ipv6_starts(text)):
            candidate = m.group(0)
            if "::" not in candidate and candidate.count(":") < 7:
                continue
            try:
                ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            yield Span(m.start(), m.end(), "ip")


# --------------------------------------------------------------------------- putting it together

_DIGITS_RE = re.compile(r"\d+")
_NUMBER_WORD_TRIGGERS = (
    *_DIGIT_WORDS, *_TEENS, *_TENS, "double", "triple", "hundred",
)  # fmt: skip
_BIRTH_TRIGGERS = ("birth", "born", "dob", "d.o.b")


def _number_words(lowered: str) -> list[int]:
    """Where every number word stands ("five", "oh", "double", "twenty", ...)."""
    return sorted({p for word in _NUMBER_WORD_TRIGGERS for p in _find_words(lowered, word)})


def find_spans(text: str, region: str = DEFAULT_REGION) -> list[Span]:
    """Where ``text`` holds personal data: sorted, non-overlapping spans with their category.

    Every detector starts only where one of its matches can begin (a run of digits, a number
    word, "@", " at ", a mail provider, a cue word), found with plain substring searches: long
    text with little personal data costs little more than reading it once."""
    if not text:
        return []
    with _collector_paused():
        try:
            return _find_spans(text, region)
        finally:
            _tokens.last = None  # the text is not kept


_PAUSE_LOCK = threading.Lock()
_pauses = [0, False]  # calls running, whether the collector was on when the first began


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while text is searched. A megabyte of dense
    transcript makes some 100,000 short-lived objects (matches, tuples, spans); none is part of
    a reference cycle, reference counting frees them all, but each 700 of them start a
    collection that walks the young objects, and every few hundred a full one that walks the
    whole heap (libphonenumber's metadata too): a third of the time, for nothing. The collector
    comes back on when the last redaction running (in any thread) ends, if it was on before."""
    with _PAUSE_LOCK:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                gc.enable()


def _find_spans(text: str, region: str) -> list[Span]:
    region = (region or DEFAULT_REGION).upper()
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters: keep every offset the text's
        lowered = "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)
    found: list[Span] = list(_emails(text, lowered))
    digits = _Digits.of(text)
    words = _number_words(lowered)
    found += _addresses(text, lowered, digits, words)
    births = [p for needle in _BIRTH_TRIGGERS for p in _find_all(lowered, needle)]
    if births:
        found += _births(text, _windows(text, births, 5, 120))
    if digits.any or words:
        found += _spoken_runs(text, lowered, region, digits, words)
    if digits.any:
        found += _accounts(text, digits)
        found += _ids(text, lowered, digits)
        found += _cards(text, digits)
        covered = _merge(list(found))
        phone_starts = digits.grouped(text, _PHONE_SEPARATORS, PHONE_MIN_DIGITS, _PHONE_SEPARATORS + "+")
        found += _phones(text, region, phone_starts, covered)
    found += _ips(text, digits)
    found += _extensions(text, found)
    return _merge(found)


def _extensions(text: str, found: list[Span]) -> list[Span]:
    """ "..., extension 23" after a phone number belongs to it."""
    more = []
    for span in found:
        if span.category == "phone":
            ext = _EXT_RE.match(text, span.end)
            if ext:
                more.append(Span(span.start, ext.end(), "phone"))
    return more


_START_KEY = attrgetter("start")
_END_KEY = attrgetter("end")


def _merge(found: list[Span]) -> list[Span]:
    found.sort(key=_END_KEY, reverse=True)  # (stable sorts: by start, the longest first)
    found.sort(key=_START_KEY)
    merged: list[Span] = []
    for span in found:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            category = min(last.category, span.category, key=_RANK.__getitem__)
            merged[-1] = Span(last.start, max(last.end, span.end), category)
        else:
            merged.append(span)
    return merged


def redact(text: str, region: str = DEFAULT_REGION) -> str:
    """``text`` with every span ``find_spans`` finds replaced by its label ("[email]", ...)."""
    spans = find_spans(text, region)
    if not spans:
        return text
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(span.label)
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
