"""cases.form_renderer writes a <select> exactly as Django's templates do: compared on every select
of the intake forms a county user sees, and on a widget with groups, a chosen value, a disabled
option, several values, numbers and markup in labels."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cases.form_renderer import FormRenderer

pytestmark = pytest.mark.django_db


def both(widget, name, value):
    fast = widget.render(name, value, renderer=FormRenderer())
    django = widget.render(name, value, renderer=DjangoTemplates())
    return fast, django


def selects(form):
    return [(name, field) for name, field in form.fields.items() if isinstance(field.widget, forms.Select)]


def test_every_select_of_the_intake_forms_is_written_as_django_writes_it(demo):
    from mediation.forms import DisputeIntakeForm
    from petitions.forms import PetitionIntakeForm

    clerk, mediator = demo["zhuji_petition_clerk"], demo["zhuji_mediator"]
    compared = 0
    for form in (PetitionIntakeForm(user=clerk), DisputeIntakeForm(user=mediator)):
        for name, field in selects(form):
            choices = list(field.widget.choices)
            chosen = choices[-1][0] if choices else None
            for value in (None, chosen):
                fast, django = both(field.widget, name, value)
                assert fast == django, name
                compared += 1
    assert compared >= 12
    region = PetitionIntakeForm(user=clerk)["region"]
    assert str(region).count("<option") > 500  # the county's places: why this renderer exists


def test_region_options_come_from_rows_with_the_values_and_labels_of_django_s_iterator(demo):
    from cases.forms import RegionRows
    from mediation.forms import DisputeIntakeForm
    from petitions.forms import PetitionIntakeForm

    clerk, mediator = demo["zhuji_petition_clerk"], demo["zhuji_mediator"]
    for form in (PetitionIntakeForm(user=clerk), DisputeIntakeForm(user=mediator)):
        field = form.fields["region"]
        assert isinstance(field.widget.choices, RegionRows)  # what the page renders
        rows = [(str(value), label) for value, label in field.choices]
        instances = [(str(value), label) for value, label in forms.models.ModelChoiceIterator(field)]
        assert rows == instances and len(rows) > 100
        assert any(label.endswith("村") for _value, label in rows)  # the place, not its committee


def test_groups_chosen_and_disabled_options_numbers_and_markup():
    class Marked(forms.Select):
        def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
            option = super().create_option(name, value, label, selected, index, subindex, attrs)
            if value == 3:
                option["attrs"]["disabled"] = True
            return option

    choices = [
        ("", "—"),
        (gettext_lazy("Town"), [(1, "枫桥镇 <b>"), (2, mark_safe("<i>安全</i>"))]),
        ("Numbers", [(3, 12345), (4, 1.5)]),
        ('"quoted" & <tag>', [('x"y', "引号")]),
    ]
    attrs = {"class": "form-select", "data-x": '"<>&', "required": True, "hidden": False}
    for widget in (Marked(choices=choices, attrs=attrs), forms.SelectMultiple(choices=choices, attrs=attrs)):
        for value in (None, 2, [1, 4], ['x"y']):
            if not isinstance(widget, forms.SelectMultiple) and isinstance(value, list):
                continue
            fast, django = both(widget, "f<x>", value)
            assert fast == django
            assert "selected" in fast or value is None


def test_a_widget_with_its_own_option_template_goes_the_usual_way():
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    fast, django = both(Own(choices=[(1, "一")]), "f", 1)
    assert fast == django and "<input" in fast
