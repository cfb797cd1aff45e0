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
"""

from django.db.models import F, Q, Subquery

from accounts.scoping import InIdList
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
