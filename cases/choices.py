"""Choice lists of small reference tables (dispute categories, risk levels, petition categories) for
the list pages' filter forms, read from Django's cache instead of the database on every request.

Saving or deleting a row (the admin site is the only place that does) drops the cached list at once
in the process that saved it; other server processes, with the default per-process cache, read the
table again within REFERENCE_CACHE_SECONDS (300). A filter is never wrong for longer than that, and a
category is a filter choice, not a permission.
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save


def _key(model) -> str:
    return f"jiefen:choices:{model._meta.label_lower}"


def _forget(sender, **kwargs):
    cache.delete(_key(sender))


_watched: set[str] = set()


def _watch(model) -> None:
    label = model._meta.label_lower
    if label in _watched:  # cached_rows runs on every list page; connect once
        return
    _watched.add(label)
    post_save.connect(_forget, sender=model, dispatch_uid=f"choices:{label}:save")
    post_delete.connect(_forget, sender=model, dispatch_uid=f"choices:{label}:delete")


def cached_rows(model) -> list:
    """Every row of ``model`` in its default order, from the cache when it holds them."""
    _watch(model)
    rows = cache.get(_key(model))
    if rows is None:
        rows = list(model._default_manager.all())
        cache.set(_key(model), rows, settings.REFERENCE_CACHE_SECONDS)
    return rows


class _CachedIterator(forms.models.ModelChoiceIterator):
    @property
    def rows(self):  # read when the choices are, not when the field is built
        return cached_rows(self.queryset.model)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.rows:
            yield self.choice(obj)

    def __len__(self):
        return len(self.rows) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.rows)


class CachedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over every row of a small reference table, rendered and validated from
    ``cached_rows``: no query, whether the form is shown empty or with a choice submitted."""

    iterator = _CachedIterator

    def __init__(self, model, **kwargs):
        super().__init__(queryset=model._default_manager.all(), **kwargs)
        _watch(model)  # when the form class is defined, before any admin save

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        model = self.queryset.model
        try:
            pk = model._meta.pk.to_python(value.pk if isinstance(value, model) else value)
        except (ValidationError, TypeError, ValueError):
            pk = None
        for obj in cached_rows(model):
            if obj.pk == pk:
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
