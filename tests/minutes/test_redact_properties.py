"""Properties of redaction (issue 13), checked on generated text with hypothesis: the output never
holds a Luhn-valid 13-19 digit run, a number libphonenumber finds valid, or an ``@`` between word
characters, whatever surrounds them."""

from __future__ import annotations

import re

import phonenumbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listen.minutes.redact import luhn_ok, redact

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = ("US", "GB", "DE", "FR", "AU", "CA", "IN", "BR")
TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
FORMATS = (
    phonenumbers.PhoneNumberFormat.NATIONAL,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.E164,
)
WORDS = st.sampled_from(
    re.findall(
        r"\S+",
        "the customer called on about her refund order 12 2026-11-23 $40 at 10:30 card number is "
        "phone call me back , . ; ( ) - + x ext 7 42 and then twice",
    )
)
NOISE = st.lists(WORDS, max_size=8).map(" ".join)
MESSY = st.text(alphabet=st.sampled_from("0123456789 -.,;:()+/x@abAB_\n\t"), max_size=60)


@st.composite
def luhn_numbers(draw: st.DrawFn) -> str:
    length = draw(st.integers(13, 19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    check = next(d for d in "0123456789" if luhn_ok(body + d))
    number = body + check
    style = draw(st.sampled_from(["plain", "4s", "mixed"]))
    if style == "plain":
        return number
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    if style == "4s":
        return " ".join(groups)
    seps = draw(
        st.lists(st.sampled_from([" ", "-", "."]), min_size=len(groups) - 1, max_size=len(groups) - 1)
    )
    return groups[0] + "".join(s + g for s, g in zip(seps, groups[1:], strict=True))


@st.composite
def valid_phones(draw: st.DrawFn) -> tuple[str, str]:
    region = draw(st.sampled_from(REGIONS))
    example = phonenumbers.example_number_for_type(region, draw(st.sampled_from(TYPES)))
    assert example is not None
    national = str(example.national_number)
    for _ in range(20):  # vary the last digits; keep a number that is still valid
        tail = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
        candidate = phonenumbers.parse(f"+{example.country_code}{national[:-3]}{tail}", None)
        if phonenumbers.is_valid_number(candidate):
            example = candidate
            break
    return phonenumbers.format_number(example, draw(st.sampled_from(FORMATS))), region


def luhn_runs(text: str) -> list[str]:
    """Luhn-valid 13-19 digit runs: contiguous, or 4-digit groups joined by one space, dot or hyphen."""
    runs = [m.group(0) for m in re.finditer(r"(?<![0-9])[0-9]{13,19}(?![0-9])", text)]
    for m in re.finditer(r"(?<![0-9])[0-9]{4}(?:[ .-][0-9]{4}){2,3}(?:[ .-][0-9]{1,4})?(?![0-9])", text):
        runs.append(re.sub(r"[ .-]", "", m.group(0)))
    return [run for run in runs if 13 <= len(run) <= 19 and luhn_ok(run)]


def test_the_checks_see_what_they_look_for() -> None:
    """Without redaction each property fails: the checks are not vacuous."""
    assert luhn_runs("paid 4111 1111-1111.1111 and 5500005555555559") == [
        "5500005555555559",
        "4111111111111111",
    ]
    found = phonenumbers.PhoneNumberMatcher("call 020 7946 0958 or +1 415-555-2671", "GB")
    assert [m.raw_string for m in found] == ["020 7946 0958", "+1 415-555-2671"]


@PROPERTY
@given(before=NOISE, card=luhn_numbers(), after=NOISE)
def test_no_card_number_survives(before: str, card: str, after: str) -> None:
    assert luhn_runs(redact(f"{before} {card} {after}")) == []


@PROPERTY
@given(text=MESSY)
def test_no_luhn_run_survives_in_messy_text(text: str) -> None:
    assert luhn_runs(redact(text)) == []


@PROPERTY
@given(before=NOISE, phone=valid_phones(), after=NOISE)
def test_no_valid_phone_number_survives(before: str, phone: tuple[str, str], after: str) -> None:
    number, region = phone
    out = redact(f"{before} {number} {after}", region)
    assert [m.raw_string for m in phonenumbers.PhoneNumberMatcher(out, region)] == []


@PROPERTY
@given(text=MESSY, region=st.sampled_from(REGIONS))
def test_no_valid_phone_number_survives_in_messy_text(text: str, region: str) -> None:
    out = redact(text, region)
    assert [m.raw_string for m in phonenumbers.PhoneNumberMatcher(out, region)] == []


@PROPERTY
@given(text=st.text(max_size=80))
def test_no_at_sign_between_word_characters(text: str) -> None:
    assert not re.search(r"\w@\w", redact(text))


@PROPERTY
@given(text=st.text(max_size=80))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once
