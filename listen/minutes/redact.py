"""Redaction of personal data in text that goes into minutes and reports.

``redact(text)`` replaces, in this order:

- e-mail addresses, written ("ana.lima@example.com") or spoken after a cue word ("my email is
  ana dot lima at example dot com") -> ``[email]``;
- IBAN-like account numbers: country code, two check digits and an alphanumeric BBAN, 15-34
  characters, optionally grouped by spaces, accepted only when the ISO 13616 mod-97 check holds
  -> ``[account]``;
- payment card numbers: 13-19 digits, optionally grouped by single spaces or hyphens, accepted only
  when the Luhn checksum holds -> ``[card]``;
- phone numbers: international (``+44 20 7946 0958``, ``0044 ...``), national with a trunk zero
  (``020 7946 0958``, ``07700 900123``), North American (``(555) 213-4477``, ``555.213.4477``,
  ``555-213-4477``), and spoken digits ("five five five, two one three, four four seven seven")
  -> ``[phone]``;
- street addresses: a house number, capitalised words and a street word ("221B Baker Street")
  -> ``[address]``.

What is deliberately left alone: dates (2026-11-23, 23/11/2026), times, prices ($1,299.00),
versions (2.10.4), short numbers, and long digit strings that fail the card checksum (order numbers).
"""

from __future__ import annotations

import re

EMAIL = "[email]"
ACCOUNT = "[account]"
CARD = "[card]"
PHONE = "[phone]"
ADDRESS = "[address]"

# --------------------------------------------------------------------------- e-mail

_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,}(?![\w-])"
)
_WORD = r"[A-Za-z][A-Za-z0-9_-]*"
_TLDS = r"(?:com|org|net|edu|gov|io|co|uk|de|fr|nl|es|it|eu|info|biz|me|us|ca|au)"
_SPOKEN_EMAIL_RE = re.compile(
    rf"(?i)\b{_WORD}(?:\s+(?:dot|underscore|dash)\s+{_WORD})*\s+at\s+{_WORD}"
    rf"(?:\s+dot\s+{_WORD})*\s+dot\s+{_TLDS}\b"
)
_EMAIL_CUE_RE = re.compile(r"(?i)\b(?:e-?mail|mail|address|inbox)\b")
_CUE_WINDOW = 60  # characters before a spoken address in which a cue word must appear

# --------------------------------------------------------------------------- accounts and cards

_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{1,4}){3,10}")
# A run of digit groups with one kind of separator (single spaces, or single hyphens), not inside
# a word, a decimal number, a date like 23/11/2026, a time, or an international phone number.
_CARD_RUN_RE = re.compile(r"(?<![\w.,/:+-])\d+(?:(?: \d+)+|(?:-\d+)+)?(?![\w/:])")
CARD_MIN_DIGITS = 13
CARD_MAX_DIGITS = 19
CARD_TRAILER_MAX = 3  # "4111 1111 1111 1111 123": a security code may follow the number

# --------------------------------------------------------------------------- phones

_GROUP = r"\(?\d{1,6}\)?"
_PHONE_RE = re.compile(
    rf"(?<![\w+.,/:$£€-])(?:\+|\b00)?{_GROUP}(?:[ .-]{{1,2}}{_GROUP}){{1,5}}(?![\w/:$%]|[.,-]\d)"
)
_NANP_RE = re.compile(r"^\(?\d{3}\)?[ .-]{1,2}\d{3}[ .-]\d{4}$")
_PLAIN_INTERNATIONAL_RE = re.compile(r"(?<![\w+])\+\d{8,15}(?!\w)")

_DIGIT_WORDS = {
    "zero": 1, "oh": 1, "o": 1, "one": 1, "two": 1, "three": 1, "four": 1,
    "five": 1, "six": 1, "seven": 1, "eight": 1, "nine": 1,
}  # fmt: skip
_TEEN_WORDS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS_WORDS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_NUMBER_TOKEN = (
    r"(?:(?:double|triple)\s+(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)"
    rf"|(?:{_TENS_WORDS})(?:[- ](?:{_UNITS}))?"
    rf"|{_TEEN_WORDS}|hundred|plus"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|oh|o|\d{1,4})"
)
_SPOKEN_RUN_RE = re.compile(
    rf"(?i)(?<![\w-]){_NUMBER_TOKEN}(?:(?:\s*[,;]\s*|\s+|-){_NUMBER_TOKEN})+(?![\w-])"
)
_SPOKEN_TOKEN_RE = re.compile(rf"(?i){_NUMBER_TOKEN}")
SPOKEN_MIN_DIGITS = 7
SPOKEN_MAX_DIGITS = 15
SPOKEN_MIN_SINGLE_DIGITS = 3  # "twenty twenty-five, twenty twenty-six" is years, not a phone

# --------------------------------------------------------------------------- addresses

_STREET_WORDS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|"
    "Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Row|Mews"
)
_ADDRESS_RE = re.compile(
    rf"(?<![\w.,-])\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'-]+\s+){{1,3}}(?:{_STREET_WORDS})\b\.?"
)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a digit string (card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def iban_ok(compact: str) -> bool:
    """ISO 13616: length 15-34, and the rearranged number modulo 97 is 1."""
    compact = compact.upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _replace_emails(text: str) -> str:
    text = _EMAIL_RE.sub(EMAIL, text)

    def spoken(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - _CUE_WINDOW) : match.start()]
        return EMAIL if _EMAIL_CUE_RE.search(before) else match.group(0)

    return _SPOKEN_EMAIL_RE.sub(spoken, text)


def _replace_ibans(text: str) -> str:
    def account(match: re.Match[str]) -> str:
        found = match.group(0)
        # The pattern is greedy; shorten it group by group until a valid number ends a word.
        candidate = found
        while len(candidate.replace(" ", "")) >= 15:
            if iban_ok(candidate.replace(" ", "")):
                return ACCOUNT + found[len(candidate) :]
            cut = candidate.rfind(" ")
            candidate = candidate[:cut] if cut > 0 else candidate[:-1]
        return found

    return _IBAN_RE.sub(account, text)


def _is_card(digits: str) -> bool:
    return CARD_MIN_DIGITS <= len(digits) <= CARD_MAX_DIGITS and luhn_ok(digits)


def _replace_cards(text: str) -> str:
    def card(match: re.Match[str]) -> str:
        run = match.group(0)
        groups = re.split(r"[ -]", run)
        if _is_card("".join(groups)):
            return CARD
        last = groups[-1]
        if len(groups) > 1 and len(last) <= CARD_TRAILER_MAX and _is_card("".join(groups[:-1])):
            return CARD + run[-(len(last) + 1) :]
        return run

    return _CARD_RUN_RE.sub(card, text)


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+") or candidate.startswith("00"):
        return 8 <= len(digits) <= 15
    if _NANP_RE.match(candidate):
        return True
    return candidate.startswith("0") and 10 <= len(digits) <= 11


def _spoken_phone(match: re.Match[str]) -> str:
    digits = 0
    singles = 0
    for token in _SPOKEN_TOKEN_RE.findall(match.group(0)):
        word = token.lower()
        if word == "plus":
            continue
        if word.isdigit():
            digits += len(word)
        elif word.startswith(("double", "triple")):
            count = 2 if word.startswith("double") else 3
            digits += count
            singles += count
        elif word in _DIGIT_WORDS:
            digits += 1
            singles += 1
        else:  # teens, tens (with or without a unit), hundred
            digits += 2
    if SPOKEN_MIN_DIGITS <= digits <= SPOKEN_MAX_DIGITS and singles >= SPOKEN_MIN_SINGLE_DIGITS:
        return PHONE
    return match.group(0)


def _replace_addresses(text: str) -> str:
    return _ADDRESS_RE.sub(ADDRESS, text)


_NO_DIGITS = str.maketrans("", "", "0123456789")
_SPOKEN_DIGIT = re.compile(r"(?i)\b(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)\b")
PHONE_MIN_DIGITS = 8  # the shortest written phone number the patterns accept


def redact(text: str) -> str:
    """``text`` with personal data replaced by ``[email]``, ``[account]``, ``[card]``,
    ``[phone]`` and ``[address]``."""
    if not text:
        return text
    if "@" in text or " dot " in text.lower():
        text = _replace_emails(text)
    digits = len(text) - len(text.translate(_NO_DIGITS))  # passes that cannot match are skipped
    if digits >= 2:
        text = _replace_ibans(text)
    if digits >= CARD_MIN_DIGITS:
        text = _replace_cards(text)
    if digits >= PHONE_MIN_DIGITS:
        text = _PHONE_RE.sub(lambda m: PHONE if _is_phone(m.group(0)) else m.group(0), text)
        text = _PLAIN_INTERNATIONAL_RE.sub(PHONE, text)
    if len(_SPOKEN_DIGIT.findall(text)) >= SPOKEN_MIN_SINGLE_DIGITS:
        text = _SPOKEN_RUN_RE.sub(_spoken_phone, text)
    if digits:
        text = _replace_addresses(text)
    return text
