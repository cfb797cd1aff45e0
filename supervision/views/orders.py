from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import roles
from accounts.models import Unit
from accounts.scoping import get_visible_case_or_404
from cases.bounds import BoundedDateField, BoundedModelChoiceField
from cases.forms import BootstrapMixin
from cases.handoffs import case_url
from cases.models import Case
from cases.pdf import pdf_response, render_pdf
from cases.transitions import TransitionError
from supervision.models import Notification, SupervisionOrder
from supervision.orders import default_target_date, issue_order, order_targets, orders_for, reply_order


class OrderForm(BootstrapMixin, forms.Form):
    target_unit = BoundedModelChoiceField(label=gettext_lazy("Target unit"), queryset=Unit.objects.none())
    required_action = forms.CharField(
        label=gettext_lazy("Required action"), widget=forms.Textarea(attrs={"rows": 3})
    )
    target_date = BoundedDateField(
        label=gettext_lazy("New target date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        # Only units the order may go to (down or sideways, already seeing the case: §39, §40);
        # issue_order checks again, so a forged POST is refused with the reason.
        field = self.fields["target_unit"]
        field.queryset = Unit.objects.filter(pk__in=[unit.pk for unit in targets])
        field.help_text = gettext_lazy(
            "Units at your level or below in your jurisdiction that can already see this case. "
            "An order grants no access."
        )


class ReplyForm(BootstrapMixin, forms.Form):
    reply = forms.CharField(label=gettext_lazy("Reply"), widget=forms.Textarea(attrs={"rows": 4}))


@login_required
@require_http_methods(["GET", "POST"])
def issue_view(request, pk):
    case = get_visible_case_or_404(request.user, Case.objects.all(), pk=pk)
    if not (request.user.is_superuser or roles.has_role(request.user, roles.SUPERVISOR)):
        raise PermissionDenied
    targets = order_targets(request.user, case)
    form = OrderForm(request.POST or None, targets=targets, initial={
        "target_unit": case.handling_unit_id, "target_date": default_target_date()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            issue_order(request.user, case.pk, **form.cleaned_data)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Supervision order issued."))
            return redirect("supervision:orders")
    return render(request, "supervision/issue.html", {"form": form, "case": case, "targets": targets,
                                                      "case_url": case_url(case)})  # fmt: skip


@login_required
def order_list_view(request):
    orders = orders_for(request.user).select_related("case", "issuing_unit", "target_unit", "deadline__rule")[
        :200
    ]
    return render(request, "supervision/orders.html", {"orders": orders})


@login_required
@require_http_methods(["GET", "POST"])
def reply_view(request, order_id):
    try:
        order = (
            orders_for(request.user)
            .select_related("case", "issuing_unit", "issuer", "target_unit", "deadline__rule")
            .get(pk=order_id)
        )
    except SupervisionOrder.DoesNotExist as exc:
        raise Http404 from exc
    # Opening the order reads the notices that point at it (its answer, for the issuer).
    Notification.objects.filter(user=request.user, link=request.path, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply_order(request.user, order.pk, form.cleaned_data["reply"])
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Reply sent."))
            return redirect("supervision:orders")
    context = {"form": form, "order": order, "case_url": case_url(order.case),
               "may_reply": order.state == "open"
               and (order.target_unit_id == request.user.unit_id or request.user.is_superuser)}  # fmt: skip
    return render(request, "supervision/reply.html", context)


@login_required
def order_pdf_view(request, order_id):
    """The 督办单 as a PDF, for the issuing and the target unit while the case is visible to the
    user (orders_for: the same scope as the order's page)."""
    try:
        order = (
            orders_for(request.user)
            .select_related("case", "issuing_unit", "issuer", "target_unit", "replied_by", "deadline__rule")
            .get(pk=order_id)
        )
    except SupervisionOrder.DoesNotExist as exc:
        raise Http404 from exc
    # A formal document, in Chinese whatever the reader's language, like the case documents
    # (告知书, 意见书): the automatic body is rebuilt in Chinese too.
    with translation.override(settings.LANGUAGE_CODE):
        data = render_pdf("reports/supervision_order.html", {"order": order})
    return pdf_response(data, f"{order.number or order.case.number}-督办单.pdf")
