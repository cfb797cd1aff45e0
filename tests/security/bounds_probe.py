"""Machinery of the out-of-range suite (test_hostile_bounds.py): sending a request and reading the
answer, learning the query keys a page reads, finding the forms of the site, and choosing which
keys a hypothesis example changes."""

import os
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.test import override_settings
from hypothesis import strategies as st

from tests.security.crawl import base_values, query_of, read_page, route_name
from tests.security.hostile_payloads import CJK
from tests.security.hostile_values import kind_of, shaped, weighted
from tests.security.matrix import TOKEN, make_client


@dataclass
class Tally:
    requests: int = 0
    errors: list = field(default_factory=list)  # (request, status or "not Chinese", reason)
    notes: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # URL name -> time spent, to see what is slow

    def send(self, client, method, url, data=None, *, follow=False):
        """One request in a savepoint that is rolled back: nothing a request stores reaches the next
        (and a database error inside it cannot spoil the transaction the module's world lives in)."""
        self.requests += 1
        started = time.perf_counter()
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data or {}, HTTP_X_CSRFTOKEN=TOKEN, follow=follow)
            transaction.set_rollback(True)
        name = route_name(url) or "(no pattern)"
        self.seconds[name] = self.seconds.get(name, 0) + time.perf_counter() - started
        if log := os.environ.get("BOUNDS_LOG"):  # every request and its status, for debugging
            with open(log, "a") as out:
                out.write(f"{response.status_code} {method} {url} {data or ''}\n")
        label = f"{method} {url} {data or ''}"[:300]
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            self.errors.append(
                (label, response.status_code, f"{exc[0].__name__}: {exc[1]}"[:150] if exc else "")
            )
        else:
            self.check_messages(response, label)
        return response

    def check_messages(self, response, label):
        """A form shown again with errors states each in Chinese (the page's language)."""
        form = (response.context or {}).get("form") if response.status_code in (200, 400) else None
        if form is None or not getattr(form, "is_bound", False):
            return
        for messages in form.errors.values():
            for message in messages:
                if not CJK.search(str(message)):
                    self.errors.append((label, "not Chinese", str(message)))


# --- query keys ----------------------------------------------------------------------------------
READ: set = set()


class RecordingQueryDict(QueryDict):
    """request.GET that remembers every key a view or a form asks for."""

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)


def recording_middleware(get_response):
    def middleware(request):
        request.GET = RecordingQueryDict(request.GET.urlencode())
        return get_response(request)

    return middleware


def hint(f) -> str:
    """What a field's values look like: its input type, else its value or its first option."""
    if f.kind in ("date", "datetime-local", "month", "number"):
        return f.kind
    return f.value or next((o for o in f.options if o), "")


def survey(tally, clients, pages):
    """Every page once: the query strings its links and GET forms send to each URL name, and the
    shape (kind_of) of each GET form field."""
    seeds, kinds = {}, {}
    for _name, path, user in pages:
        response = tally.send(clients[user], "GET", path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        forms, links = read_page(path, response.content.decode())
        for link in links:
            if (target := route_name(link)) and query_of(link):
                seeds.setdefault(target, {})[tuple(query_of(link))] = None
        for form in forms:
            if form.method == "GET" and (target := route_name(form.action)):
                seeds.setdefault(target, {})[tuple(base_values(form).items())] = None
                kinds.setdefault(target, {}).update({f.name: kind_of(hint(f), hint(f)) for f in form.fields})
    return seeds, kinds


def keys_read(tally, user, path, seeds):
    """The query keys a page reads while it answers each seed (one per set of keys), with the
    seeds used: a fresh client, since a client loads its middleware once."""
    by_keys = {}
    for seed in [tuple(query_of(path)), *seeds]:
        by_keys.setdefault(tuple(sorted(k for k, _v in seed)), seed)
    chosen = list(by_keys.values())[:3]
    READ.clear()
    middleware = [*settings.MIDDLEWARE, "tests.security.bounds_probe.recording_middleware"]
    with override_settings(MIDDLEWARE=middleware):
        recording = make_client(user)
        for seed in chosen:
            query = QueryDict(mutable=True)
            for k, v in [*seed, ("_probe", "1")]:
                query.appendlist(k, v)
            tally.send(recording, "GET", path.split("?")[0] + "?" + query.urlencode())
    keys = READ - {"_probe"}
    for seed in chosen:
        keys |= {k for k, _v in seed}
    return sorted(keys), [dict(s) for s in chosen]


# --- forms ---------------------------------------------------------------------------------------
def discover_forms(tally, clients, pages, skipped):
    """Every POST form on ``pages`` ((path, user) pairs) and on the action pages they link to (each
    action once), once per (URL name, action, field names). Forms with a file are left to the
    upload suites, and URL names ``skipped`` matches (ending the session) are left out."""
    seen, forms, visited, actions = set(), [], set(), set()
    pages = list(pages)
    while pages:
        page, user = pages.pop(0)
        if page in visited:
            continue
        visited.add(page)
        response = tally.send(clients[user], "GET", page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        found, links = read_page(page, response.content.decode())
        for link in links:
            link = link.split("#")[0]
            name = route_name(link) or ""
            action = (name, link.rstrip("/").rsplit("/", 1)[-1])
            if name.endswith(":action") and action not in actions:  # one case per action
                actions.add(action)
                pages.append((link, user))
        for form in found:
            name = route_name(form.action)
            if form.method != "POST" or form.has_file or name is None or skipped.search(name):
                continue
            action = form.action.rstrip("/").rsplit("/", 1)[-1] if name.endswith(":action") else ""
            key = (name, action, tuple(sorted(f.name for f in form.fields)))
            if key not in seen:
                seen.add(key)
                forms.append((form, user))
    return forms


def form_kinds(form) -> dict:
    """The fields an example may change, with their shape: every input and select that is not free
    text (free text is the hostile text suites' part), and the keys of the action's query string
    (as "?key")."""
    kinds = {}
    for f in form.fields:
        kind = kind_of(hint(f), hint(f))
        parsed = kind or f.kind in ("select", "hidden")  # free text is left to the text suites
        if parsed and f.name != "csrfmiddlewaretoken":
            kinds[f.name] = kind
    kinds.update({f"?{k}": kind_of("", v) for k, v in query_of(form.action)})
    return kinds


# --- examples ------------------------------------------------------------------------------------
def changes(kinds: dict):
    """What one example changes: one key with a value in its shape (three examples in four), or
    every key of one shape set to the same value (a range whose first and last days are both at
    the edge of what a date holds)."""
    keys = sorted(kinds)
    one = st.sampled_from(keys).flatmap(lambda k: shaped(kinds[k]).map(lambda v: {k: v}))
    groups = {}
    for k in keys:
        if kinds[k]:
            groups.setdefault(kinds[k], []).append(k)
    groups = [ks for ks in groups.values() if len(ks) > 1]
    if not groups:
        return one
    same = st.sampled_from(groups).flatmap(
        lambda ks: shaped(kinds[ks[0]]).map(lambda v: dict.fromkeys(ks, v))
    )
    return weighted((3, one), (1, same))


__all__ = ["Tally", "changes", "discover_forms", "form_kinds", "keys_read", "survey"]
