"""The project's form renderer (settings.FORM_RENDERER): Django's, except that a plain <select> is
written in Python.

Django renders a select through its template, which includes one template per option (and one more
for each option's attributes). A county user's region field offers some 540 places, so that was
40-60 ms of every intake page, and of every refused form shown again. The markup is the one
Django's templates write, character for character (tests/cases/test_form_renderer.py compares the
two on every select of the intake forms); a widget with its own templates goes the usual way.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
_CONTEXT = Context()  # autoescape on, localisation and time zone as the settings say: a template's


def _shown(value) -> str:
    """``{{ value }}``: localised (a number, a date), then escaped."""
    return render_value_in_context(value, _CONTEXT)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as %s, escaped unless it was safe already."""
    if isinstance(value, SafeData):  # the filter keeps a safe string safe
        return conditional_escape(value)
    return conditional_escape("%s" % (value,))  # noqa: UP031 - the template filter's own formatting


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict) -> str | None:
    """The markup of django/forms/widgets/select.html for this widget context, or None when an
    option uses a template of its own."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"  # the option template's own last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    # Every piece above is escaped; the widget marks the whole safe (Widget._render), as it does
    # with a template's output.
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
