"""What intake keeps of a party (phone as typed, gender and birth date from the ID number), the
keyboard hints of the party fields, long-text limits and Django's stock wording replaced."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from cases.forms import TEXTAREA_LIMIT, BootstrapMixin, PartyForm, clean_phone
from cases.idcrypt import name_phone_digest
from cases.idnumbers import canonical_phone, id_facts, phone_as_typed, validate_phone
from cases.people import party_details

WOMAN_1949 = "11010519491231002X"  # 17th digit 2: a woman; born 1949-12-31
MAN = "110105194912310038"  # the same with 17th digit 3: a man


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_gender_and_birth_date_come_from_the_id_number():
    assert id_facts(WOMAN_1949) == ("F", datetime.date(1949, 12, 31))
    assert id_facts(MAN) == ("M", datetime.date(1949, 12, 31))
    assert id_facts("") == ("", None) and id_facts("12345") == ("", None)


def test_party_details_store_what_the_id_number_says_and_nothing_for_an_organisation():
    person = party_details({"name": "王秀英", "id_number": WOMAN_1949, "gender": ""})
    assert person["gender"] == "F" and person["birth_date"] == datetime.date(1949, 12, 31)
    without = party_details({"name": "李四", "gender": "M"})
    assert without["gender"] == "M" and without["birth_date"] is None
    company = party_details({"name": "某公司", "is_organisation": True, "gender": "M"})
    assert company["gender"] == "" and company["birth_date"] is None


@pytest.mark.parametrize(
    ("typed", "kept", "digits"),
    [
        ("0575-87012345", "0575-87012345", "057587012345"),
        (" 138 0013 8000 ", "138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "+86 138-0013-8000", "13800138000"),
        ("(0575)87012345", "(0575)87012345", "057587012345"),
        ("０５７５－８７０１２３４５", "0575-87012345", "057587012345"),  # full-width, as an IME types it
        ("0575-87012345转801", "0575-87012345转801", "057587012345"),
    ],
)
def test_a_phone_keeps_the_form_it_was_typed_in_and_digests_its_digits(typed, kept, digits):
    assert phone_as_typed(typed) == kept and clean_phone(typed) == kept
    assert validate_phone(typed) == digits and canonical_phone(typed) == digits
    # The keyed digest links the same person however the number was written.
    assert name_phone_digest("王秀英", typed) == name_phone_digest("王秀英", digits)


@pytest.mark.parametrize("typed", ["12345", "abc", "0575", "138001380001234"])
def test_a_phone_that_is_no_number_is_refused_in_chinese(typed):
    with pytest.raises(ValidationError) as refused:
        phone_as_typed(typed)
    assert "手机号码" in refused.value.messages[0]


def test_the_party_form_brings_up_the_number_pad_and_refuses_a_gender_the_number_contradicts():
    form = PartyForm({"role": "applicant", "name": "王秀英", "id_number": WOMAN_1949, "gender": "M",
                      "phone": "0575-87012345"})  # fmt: skip
    html = str(form["id_number"]) + str(form["phone"])
    assert 'inputmode="numeric"' in html and 'type="tel"' in html and 'autocomplete="tel"' in html
    assert not form.is_valid()
    assert form.errors["gender"] == ["该身份证号码为女性。"]
    agreed = PartyForm({"role": "applicant", "name": "王秀英", "id_number": WOMAN_1949, "gender": "F",
                        "phone": "0575-87012345"})  # fmt: skip
    assert agreed.is_valid(), agreed.errors
    assert agreed.cleaned_data["phone"] == "0575-87012345"


class Sample(BootstrapMixin, forms.Form):
    title = forms.CharField(max_length=10)
    text = forms.CharField(widget=forms.Textarea)
    count = forms.IntegerField(min_value=1, max_value=5)
    day = forms.DateField()
    kind = forms.ChoiceField(choices=[("a", "A")])
    own = forms.CharField(error_messages={"required": "自己的话"})


def test_django_stock_wording_is_replaced_by_plain_chinese():
    form = Sample({"title": "一二三四五六七八九十一", "text": "x" * (TEXTAREA_LIMIT + 1), "count": "9",
                   "day": "昨天", "kind": "z"})  # fmt: skip
    assert not form.is_valid()
    errors = {k: " ".join(v) for k, v in form.errors.items()}
    assert errors == {
        "title": "最多 10 个字，现在是 11 个字。",
        "text": f"最多 {TEXTAREA_LIMIT} 个字，现在是 {TEXTAREA_LIMIT + 1} 个字。",
        "count": "不能大于 5。",
        "day": "请填写日期，例如 2026-11-24。",
        "kind": "请从给出的选项中选择。",
        "own": "自己的话",  # a form's own message stays
    }
    assert "确保" not in str(form.errors) and "这个字段" not in str(form.errors)
    empty = Sample({})
    assert not empty.is_valid() and empty.errors["title"] == ["请填写此项。"]


def test_a_long_text_shows_its_limit_and_a_counter():
    form = Sample()
    assert form.fields["text"].widget.attrs["maxlength"] == str(TEXTAREA_LIMIT)
    html = render_to_string("cases/_field.html", {"field": form["text"]})
    assert 'data-count-for="id_text"' in html and f"最多 {TEXTAREA_LIMIT} 字" in html
    assert f"已输入 %(count)s / {TEXTAREA_LIMIT} 字" in html  # the live text static/js/jiefen.js fills
    # A short field (10 characters) shows no counter.
    assert "data-count-for" not in render_to_string("cases/_field.html", {"field": form["title"]})


def test_an_error_is_announced_with_its_field():
    form = Sample({"count": "0"})
    form.is_valid()
    html = render_to_string("cases/_field.html", {"field": form["count"]})
    assert 'aria-describedby="id_count_errors"' in html and 'id="id_count_errors"' in html
    assert "不能小于 1。" in html
