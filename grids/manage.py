"""The village's grids and who holds them, edited on a Chinese page by the village's (or a higher
covering unit's) supervisors and administrators: add a grid, give a post, end a post (it stays in
the history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.grids import add_grid, end_post
from accounts.models import Grid, GridPost, Region, User
from accounts.scoping import visible_grids, visible_users
from grids.forms import GridForm, PostForm
from grids.views import _may_manage


def _village(request, code):
    if not _may_manage(request.user):
        raise PermissionDenied
    grids = visible_grids(request.user, Grid.objects.filter(region_id=code)).select_related("parent")
    first = grids.filter(code="").first()
    if first is None:
        raise Http404
    return Region.objects.get(pk=code), grids


@login_required
@require_http_methods(["GET", "POST"])
def village_grids_view(request, code):
    region, grids = _village(request, code)
    users = visible_users(request.user, User.objects.filter(is_active=True, unit__region_id=code)).order_by(
        "pk"
    )
    grid_form = GridForm(request.POST if request.POST.get("do") == "grid" else None, grids=grids, prefix="g")
    post_form = PostForm(
        request.POST if request.POST.get("do") == "post" else None, grids=grids, users=users, prefix="p",
        initial={"started_on": timezone.localdate()},
    )  # fmt: skip
    if request.method == "POST":
        if grid_form.is_bound and grid_form.is_valid():
            add_grid(grid_form.cleaned_data["parent"], grid_form.cleaned_data["name"])
            messages.success(request, _("Grid added."))
            return redirect("grids:village", code=code)
        if post_form.is_bound and post_form.is_valid():
            GridPost.objects.create(**post_form.cleaned_data)
            messages.success(request, _("Post given."))
            return redirect("grids:village", code=code)
    posts = (
        GridPost.objects.filter(grid__in=grids)
        .select_related("grid", "user")
        .order_by("grid__code", "ended_on", "-started_on")
    )
    return render(
        request,
        "grids/village.html",
        {"region": region, "grids": grids.order_by("code"), "posts": posts, "grid_form": grid_form,
         "post_form": post_form},
    )  # fmt: skip


@login_required
@require_POST
def end_post_view(request, pk):
    if not _may_manage(request.user):
        raise PermissionDenied
    post = GridPost.objects.filter(pk=pk, ended_on=None).select_related("grid").first()
    if post is None:
        raise Http404
    _region, grids = _village(request, post.grid.region_id)
    if not grids.filter(pk=post.grid_id).exists():
        raise Http404
    end_post(post, timezone.localdate())
    messages.success(request, _("Post ended; it stays in the grid's history."))
    return redirect("grids:village", code=post.grid.region_id)
