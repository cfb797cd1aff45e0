"""Saved list filters: save from a list, and the page that lists, renames, deletes and puts them on
the home page (cases.saved_filters). A user only ever reaches their own filters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import saved_filters
from cases.lists import LISTS
from cases.models import SavedFilter


@login_required
def filter_list_view(request):
    rows = [
        {"filter": saved, "url": saved_filters.url_of(saved), "list": LISTS.get(saved.list_name)}
        for saved in SavedFilter.objects.filter(user=request.user)
    ]
    context = {"rows": rows, "name_length": saved_filters.NAME_LENGTH}
    return render(request, "cases/saved_filters.html", context)


@login_required
@require_POST
def filter_save_view(request):
    list_name = request.POST.get("list", "")
    query = request.POST.get("query", "")
    case_list = LISTS.get(list_name)
    if case_list is None:
        raise Http404
    try:
        name, on_home = request.POST.get("name", ""), bool(request.POST.get("on_home"))
        saved = saved_filters.save_filter(request.user, list_name, query, name, on_home=on_home)
    except saved_filters.SavedFilterError as exc:
        messages.error(request, str(exc))
        # Back to the list as it was, the query encoded again (a posted CR/LF is no header) and
        # only when it fits an address (a longer one was a DisallowedRedirect, a 400).
        back = QueryDict(query).urlencode()
        fits = back and len(back) <= saved_filters.QUERY_LENGTH
        return redirect(f"{case_list.url}?{back}" if fits else case_list.url)
    messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
    return redirect(saved_filters.url_of(saved))


@login_required
@require_POST
def filter_change_view(request, pk):
    action = request.POST.get("action")
    try:
        if action == "rename":
            saved = saved_filters.rename_filter(request.user, pk, request.POST.get("name", ""))
            messages.success(request, _("Filter renamed to “%(name)s”.") % {"name": saved.name})
        elif action == "home":
            saved = saved_filters.show_on_home(request.user, pk, request.POST.get("on_home") == "1")
            if saved.on_home:
                message = _("“%(name)s” is shown on your home page.")
            else:
                message = _("“%(name)s” is no longer on your home page.")
            messages.success(request, message % {"name": saved.name})
        elif action == "delete":
            saved_filters.delete_filter(request.user, pk)
            messages.success(request, _("Filter deleted."))
        else:
            raise Http404
    except SavedFilter.DoesNotExist:
        raise Http404 from None
    except saved_filters.SavedFilterError as exc:
        messages.error(request, str(exc))
    return redirect("filters:list")
