"""Authentication backends that load the signed-in user, on every request, with what every page
reads about them: the unit and its region (the visibility rule, accounts.scoping), the roles (menus,
permission checks, masking) and figures other apps register (the header's unread notifications).

One query instead of four (user, unit, role groups, unread count), all read fresh for each request,
so a role, unit or notification changed by someone else shows on the user's next page.

Django stores the backend's dotted path in the session at login and loads the user through that
backend; django-axes' backend only refuses locked-out logins and loads no user, so this model
backend is the one every session names. Sessions from before it named Django's own and end once.
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef

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


def load_request_user(user_id):
    """The active or inactive user with that id, or None; unit, region and roles in the same query."""
    from django.contrib.auth.models import Group

    annotations = {
        _role_flag(role): Exists(Group.objects.filter(name=role, user=OuterRef("pk"))) for role in ALL_ROLES
    }
    # Whether the user holds a current post on a grid below the village: only then does the
    # scoping rule ask which grids (accounts.scoping.grid_scope); nobody else pays for rule 5.
    annotations["_jiefen_grid_post"] = Exists(GridPost.below_village().filter(user=OuterRef("pk")))
    annotations.update({name: build() for name, build in REQUEST_USER_ANNOTATIONS.items()})
    query = User._default_manager.select_related("unit__region").annotate(**annotations)
    user = query.filter(pk=user_id).first()
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
