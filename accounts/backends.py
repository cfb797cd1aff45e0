"""Authentication backends that load the signed-in user, on every request, with what every page
reads about them: the unit and its region (the visibility rule, accounts.scoping), the roles (menus,
permission checks, masking) and figures other apps register (the header's unread notifications).

One query instead of four (user, unit, role groups, unread count), all read fresh for each request,
so a role, unit or notification changed by someone else shows on the user's next page.

Django stores the backend's dotted path in the session at login and loads the user through that
backend; django-axes' backend only refuses locked-out logins and loads no user, so this model
backend is the one every session names. Sessions from before it named Django's own and end once.
"""

import hashlib
import threading

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef

from accounts.compiled import Rows, prepare_with_holes
from accounts.models import GridPost, User
from accounts.roles import ALL_ROLES

# name -> function returning a query expression over the user row (OuterRef("pk") is the user).
# Apps above accounts register their per-page figures here from AppConfig.ready, so accounts does
# not import them.
REQUEST_USER_ANNOTATIONS = {}


def register_request_annotation(name: str, build) -> None:
    REQUEST_USER_ANNOTATIONS[name] = build


def _role_flag(role: str) -> str:
    return f"_jiefen_has_{role}"


def _request_user_queryset():
    from django.contrib.auth.models import Group

    annotations = {
        _role_flag(role): Exists(Group.objects.filter(name=role, user=OuterRef("pk"))) for role in ALL_ROLES
    }
    # Whether the user holds a current post on a grid below the village: only then does the
    # scoping rule ask which grids (accounts.scoping.grid_scope); nobody else pays for rule 5.
    annotations["_jiefen_grid_post"] = Exists(GridPost.below_village().filter(user=OuterRef("pk")))
    annotations.update({name: build() for name, build in REQUEST_USER_ANNOTATIONS.items()})
    return User._default_manager.select_related("unit__region").annotate(**annotations)


# A user id no row has: its place among the compiled statement's parameters is where each request's
# id goes. Within a 32-bit column's range: Django compiles an out-of-range id to no statement at all.
_SENTINEL = -2_147_000_001


class _CompiledUserQuery:
    """The request user's statement, compiled once per thread and database.

    Building and compiling its eleven subqueries cost the ORM ~12 ms of Python on every request,
    three times what PostgreSQL takes to run it; the SQL and its parameters do not change between
    requests (the annotations read the database's own clock, not Python's), only the user id. Rows
    become objects the way Django's ModelIterable makes them (user, unit and region from one row,
    annotations as attributes), through the same compiler's converters."""

    def __init__(self, connection):
        queryset = _request_user_queryset().filter(pk=_SENTINEL)
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slot = self.params.index(_SENTINEL)
        self.rows = Rows(compiler)
        self.name = "jiefen_request_user_" + hashlib.sha256(self.sql.encode()).hexdigest()[:12]

    def prepared_name(self, connection) -> bool:
        """Whether the statement runs as a server-side prepared statement on ``connection``,
        preparing it on first use of each database session (accounts.compiled).

        PostgreSQL spent longer planning the statement (1-4 ms, eleven subqueries) than running it;
        prepared once per session, a request pays only the run (0.2-0.5 ms measured on the demo
        county, docs/performance.md). Only the user id is a parameter: every other value is written
        into the statement, so the generic plan is the plan a custom one would be."""
        return prepare_with_holes(connection, self.name, self.sql, self.params, [(self.slot, "bigint")])

    def fetch(self, connection, user_id):
        with connection.cursor() as cursor:
            if self.prepared_name(connection):
                cursor.execute(f"EXECUTE {self.name}(%s)", [user_id])
            else:
                params = list(self.params)
                params[self.slot] = user_id
                cursor.execute(self.sql, params)
            row = cursor.fetchone()
        return None if row is None else self.rows.objects(connection, [row])[0]


_compiled = threading.local()


def _compiled_query(connection) -> _CompiledUserQuery:
    key = (connection.alias, connection.vendor, tuple(REQUEST_USER_ANNOTATIONS))
    cache = getattr(_compiled, "queries", None)
    if cache is None:
        cache = _compiled.queries = {}
    if key not in cache:
        cache[key] = _CompiledUserQuery(connection)
    return cache[key]


def load_request_user(user_id):
    """The active or inactive user with that id, or None; unit, region and roles in the same query."""
    from django.db import connections

    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    connection = connections[User.objects.db]
    user = _compiled_query(connection).fetch(connection, user_id)
    if user is None:
        return None
    # The caches accounts.roles.roles_of and accounts.scoping._unit fill on first use.
    user._jiefen_roles = {role for role in ALL_ROLES if getattr(user, _role_flag(role))}
    user._jiefen_unit = user.unit
    return user


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = load_request_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
