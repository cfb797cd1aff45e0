"""What the list search box matches, shared by the dispute and petition lists.

Three characters or more: the summary, the case number or a party's name containing the text, each
answered by a trigram index (pg_trgm), so the match is a bitmap the visibility rule's bitmap ANDs
with (docs/performance.md). One or two characters: the start of a party's name only. A trigram index
cannot answer "contains" for fewer than three characters, so a short term would make PostgreSQL read
every case of the jurisdiction (a county: 40,000 rows, 0.4-1.2 s); a Chinese name starts with the
surname, so 王伟 still finds 王伟 and 王伟东, and the list says how short terms are searched. A
whole case number (诸暨〔2026〕调字第0001号) finds that case by the number's unique index: its
trigrams (〔20, 202, 026…) are shared by every case of the year, and reading those lists costs more
than the rest of the page.

A whole ID number (18 characters, or 15 digits) or a whole phone number (a mobile, or a landline
with its area code, in any of the forms people type) finds the cases with a party of that number
through the keyed hashes on the party link (``CaseParty.id_number_digest``, ``phone_digest``;
cases.idcrypt), by their partial indexes: the typed number is hashed, never compared as text and
never stored, and nothing else is searched for it (a part of a number finds nothing). The number
never reaches a URL (ASVS 14.2.1, SECURITY.md "Not in URLs"): the list's filter form is sent by
POST, and the list answers with a redirect to its address carrying ``party=id:<digest>`` or
``party=phone:<digest>`` instead of the number (``digest_token``), which pages, exports and saved
filters then keep. A number in the GET parameter ``q`` is searched as text like anything else, so
it finds nothing: nobody is invited to type one into an address.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import F, Q, Subquery

from accounts.scoping import InIdList
from cases.idcrypt import id_digest, phone_digest
from cases.idnumbers import ID15, ID18, is_phone, normalise, validate_id_number
from cases.models import CaseParty
from cases.numbering import NUMBER_PATTERN

# The shortest text searched inside summaries and case numbers (a trigram).
MIN_CONTAINS = 3


def is_short(text: str) -> bool:
    return 0 < len(text.strip()) < MIN_CONTAINS


def search_condition(text: str) -> Q:
    text = text.strip()
    if NUMBER_PATTERN.fullmatch(text):
        return Q(number=text)
    if len(text) < MIN_CONTAINS:
        return Q(party_named(text))
    return Q(summary__icontains=text) | Q(number__icontains=text) | Q(party_named(text))


def party_named(text: str):
    """Cases with a party whose name contains ``text``, as a condition on the core case id: with the
    other search terms it filters the rows the visibility rule found, before any join (trigram
    index on the party's name as given on the case, ``CaseParty.name``, docs/performance.md).

    One or two characters (a surname, or 王伟) match the start of the name: the trigram index
    cannot answer "contains" for fewer than three characters, and a Chinese name starts with the
    surname, so 王伟 still finds 王伟 and 王伟东."""
    lookup = "name__icontains" if len(text) >= 3 else "name__istartswith"
    ids = CaseParty.objects.filter(**{lookup: text}).values("case_id")
    return InIdList(F("handler_id"), Subquery(ids))


def whole_id_number(text: str) -> str:
    """The canonical ID number ``text`` is, or "" (a 15-digit one in its 18-character form)."""
    plain = normalise(text)
    if ID15.fullmatch(plain):
        try:
            return validate_id_number(plain)
        except ValidationError:
            return ""
    return plain if ID18.fullmatch(plain) else ""


def number_digest(text: str) -> tuple[str, str] | None:
    """(digest field, digest) when ``text`` is a whole ID number or phone number, else None."""
    if number := whole_id_number(text):
        return "id_number_digest", id_digest(number)
    if is_phone(text):
        return "phone_digest", phone_digest(text)
    return None


def digest_token(text: str) -> str:
    """``id:<digest>`` or ``phone:<digest>`` when ``text`` is a whole ID number or phone, else ""."""
    found = number_digest(text)
    if found is None:
        return ""
    field, digest = found
    return f"{TOKEN_KINDS[field]}:{digest}"


TOKEN_KINDS = {"id_number_digest": "id", "phone_digest": "phone"}
TOKEN_PATTERN = re.compile(r"(id|phone):([0-9a-f]{64})")


def party_with_digest(token: str):
    """Cases with a party whose ID number or phone has the digest of ``token`` (``digest_token``),
    as a condition on the core case id (partial index on the party link's digest)."""
    match = TOKEN_PATTERN.fullmatch(token)
    if match is None:
        return Q(pk__in=[])
    field = {kind: name for name, kind in TOKEN_KINDS.items()}[match.group(1)]
    ids = CaseParty.objects.filter(**{field: match.group(2)}).values("case_id")
    return Q(InIdList(F("handler_id"), Subquery(ids)))
