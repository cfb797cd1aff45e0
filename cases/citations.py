"""Legal citations in the reader's language.

A deadline rule's legal basis is reference data typed in Chinese ("信访工作条例 第三十四条", or
free text such as "本系统默认（可配置）"); Chinese pages show it exactly as stored. English pages
show the English citation: a law the catalog knows, with its article numbers as a placeholder
("Regulations on Letters and Visits, Art. %(n)s"), so a rule an administrator adds in the same
form ("人民调解法 第三十三条") reads in English without anyone writing an English text for it. A
whole basis that is itself a message of the catalog (the free texts of the national rules) is
shown from that message; a note in brackets is translated when the catalog has it. Anything else
stays as typed.
"""

import re

from django.utils.translation import gettext, gettext_noop

from cases.i18n import english_of, in_english

# Chinese title (with or without 《》, longest first so 中华人民共和国人民调解法 is not cut short)
# -> the English citation, the article(s) as %(n)s.
LAWS = {
    "中华人民共和国人民调解法": gettext_noop("People's Mediation Law, Art. %(n)s"),
    "人民调解工作若干规定": gettext_noop("Provisions on People's Mediation Work, Art. %(n)s"),
    "中华人民共和国民事诉讼法": gettext_noop("Civil Procedure Law, Art. %(n)s"),
    "信访工作条例": gettext_noop("Regulations on Letters and Visits, Art. %(n)s"),
    "中华人民共和国劳动争议调解仲裁法": gettext_noop(
        "Law on Labour Dispute Mediation and Arbitration, Art. %(n)s"
    ),
    "劳动争议调解仲裁法": gettext_noop("Law on Labour Dispute Mediation and Arbitration, Art. %(n)s"),
    "人民调解法": gettext_noop("People's Mediation Law, Art. %(n)s"),
    "民事诉讼法": gettext_noop("Civil Procedure Law, Art. %(n)s"),
}
ARTICLE_ALONE = gettext_noop("Art. %(n)s")

# The free texts of the national rules (cases/0004, petitions/0009) and the notes in their
# brackets: in the catalog so that english_of finds them (their msgstr is the stored Chinese).
FREE_TEXTS = (
    gettext_noop("Local rules on simplified handling"),  # 简易办理规定（地方）
    gettext_noop("As the mediation agreement provides"),  # 调解协议约定
    gettext_noop("System default (configurable)"),  # 本系统默认（可配置）
    # 信访工作条例 第三十五条、第三十六条；期限参照第三十四条（可配置）
    gettext_noop("Regulations on Letters and Visits, Art. 35, 36; time limit as in Art. 34 (configurable)"),
    gettext_noop("set by the assigning body"),  # 交办机关确定
    gettext_noop("generally settled within one month"),  # 一般在一个月内调结
    gettext_noop("configurable"),  # 可配置
)

_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMERAL = "[〇零一二两三四五六七八九十百]+"
_ONE_ARTICLE = rf"第({_NUMERAL})条(?:第({_NUMERAL})款)?"
_ARTICLES = rf"{_ONE_ARTICLE}(?:[、，,和及]\s*{_ONE_ARTICLE})*"
_LAW = re.compile("《?(" + "|".join(re.escape(title) for title in LAWS) + rf")》?\s*({_ARTICLES})")
_ARTICLE = re.compile(_ONE_ARTICLE)
_BRACKETED = re.compile(r"（([^（）]+)）")


def chinese_numeral(text: str) -> int:
    """三十四 -> 34, 一百零五 -> 105, 十 -> 10 (the numbers laws are cited by)."""
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _DIGITS[char]
    return total + digit


def _articles(text: str) -> str:
    """第三十五条、第三十六条 -> "35, 36"; 第二十三条第三款 -> "23(3)"."""
    numbers = []
    for article, paragraph in _ARTICLE.findall(text):
        number = str(chinese_numeral(article))
        numbers.append(f"{number}({chinese_numeral(paragraph)})" if paragraph else number)
    return ", ".join(numbers)


def english_citation(text: str) -> str:
    """A legal basis typed in Chinese, in English as far as the catalog knows its parts."""
    whole = english_of(text)
    if whole != text:
        return whole
    text = _LAW.sub(lambda m: gettext(LAWS[m[1]]) % {"n": _articles(m[2])}, text)
    text = _ARTICLE.sub(lambda m: gettext(ARTICLE_ALONE) % {"n": _articles(m[0])}, text)
    return _BRACKETED.sub(lambda m: f" ({_lower_first(english_of(m[1]))})", text).strip()


def _lower_first(text: str) -> str:
    # english_of capitalises a message as a sentence; a note in brackets is part of one.
    return text[:1].lower() + text[1:]


def legal_basis(text: str) -> str:
    """The legal basis in the reader's language: as stored in Chinese, the citation in English."""
    if not text or not in_english():
        return text
    return english_citation(text)
