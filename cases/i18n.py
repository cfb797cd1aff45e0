"""Names of reference data (categories, risk levels, deadline rules) in the reader's language.

The rows are kept in Chinese (the portal's language, the official documents' language); each also
carries an English name (``name_en`` / ``label_en``) so that English pages stay complete. An empty
English name falls back to the Chinese one, so a row an administrator adds in Chinese only still
shows.
"""

import functools
import re

from django.utils.translation import get_language, gettext, trans_real


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(obj, field: str = "name") -> str:
    """``obj.<field>_en`` when English is active and it is filled, else ``obj.<field>``."""
    if in_english():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


# Texts written into the database in the writer's language (timeline entries, notices) are shown
# in the reader's: a stored Chinese text that is the translation of a message of the catalog,
# whole or with its %(name)s parts filled, is shown from the English message when English is active.
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_WORDS = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1)
def _reverse_catalog() -> tuple[dict, list]:
    exact: dict[str, str] = {}
    patterns: list[tuple[re.Pattern, str]] = []
    catalog = trans_real.translation("zh-hans")._catalog
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not msgid or not msgstr or msgstr == msgid:
            continue
        if "\x04" in msgid:  # a message with a context (pgettext) is never a stored text
            continue
        if _PLACEHOLDER.search(msgstr):
            # A message that is only its parts and punctuation ("%(unit)s（%(person)s）") would
            # match any stored text of that shape, typed ones included.
            if not _WORDS.search(_PLACEHOLDER.sub("", msgstr)):
                continue
            parts = _PLACEHOLDER.split(msgstr)
            # split gives text, name, text, name, ..., text
            regex = "".join(
                re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
            )
            try:
                patterns.append((re.compile(f"^{regex}$", re.S), msgid))
            except re.error:  # a name used twice in one message
                continue
        else:
            exact.setdefault(msgstr, msgid)
    # Longer fixed text first: the most specific message wins.
    patterns.sort(key=lambda p: -len(_PLACEHOLDER.sub("", p[1])))
    return exact, patterns


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def english_of(text: str) -> str:
    """The English message a stored Chinese text was translated from, else the text unchanged."""
    exact, patterns = _reverse_catalog()
    if text in exact:
        return _capitalised(exact[text])
    for regex, msgid in patterns:
        match = regex.match(text)
        if match:
            values = {name: english_of(value) for name, value in match.groupdict().items()}
            try:
                return _capitalised(msgid % values)
            except (KeyError, TypeError, ValueError):
                return text
    # A heading and what it is about, "督办单：诸暨〔2026〕访字第0087号" (supervision.handoffs).
    head, colon, rest = text.partition("：")
    if colon and head in exact:
        return f"{_capitalised(exact[head])}: {rest}"
    return text


def in_reader_language(text: str) -> str:
    """A stored text in the active language: English from the catalog when English is active; a
    text stored in English (written by someone using English) translated when Chinese is."""
    if not text:
        return text
    if in_english():
        return english_of(text)
    return gettext(text)
