"""The public pages (/public/): thin; the rules live in intake, follow, progress and limits.

No page here reads ``request.user`` or the staff session (public.middleware); the state is
``request.public_state`` (random tokens, decided by their rows)."""

import segno
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.idcrypt import phone_digest
from cases.pdf import pdf_response
from cases.transitions import TransitionError
from mediation.evaluation import evaluate as evaluate_dispute
from mediation.models import Dispute
from petitions.review import request_review
from petitions.workflow import evaluate
from public import codes, follow, intake, limits, progress, routing
from public.forms import (
    DisputeApplicationForm,
    EvaluationForm,
    FollowForm,
    OtpForm,
    PetitionApplicationForm,
    ReviewForm,
)

KINDS = {"mediation": DisputeApplicationForm, "petition": PetitionApplicationForm}


def _throttled(request, template, context):
    context["throttled"] = True
    return render(request, template, context, status=429)


@never_cache
@require_GET
def index(request):
    return render(request, "public/index.html")


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, kind):
    form_class = KINDS[kind]
    captcha = limits.needs_captcha(request)
    form = form_class(request.POST or None, request.FILES or None, captcha=captcha)
    context = {"form": form, "kind": kind}
    # Every POST counts against the address's budget, whatever the form says; the phone's once valid.
    if request.method == "POST" and limits.limited(request, "submit"):
        return _throttled(request, "public/apply.html", context)
    if request.method == "POST" and form.is_valid():
        if limits.limited(request, "submit", phone_key=phone_digest(form.cleaned_data["phone"])):
            return _throttled(request, "public/apply.html", context)
        submit = intake.submit_dispute if kind == "mediation" else intake.submit_petition
        try:
            case, code = submit(form)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            # Shown once, on the page that answers this POST: never stored in clear, never in a URL.
            follow_url = request.build_absolute_uri(reverse("public:follow")) + "#code=" + code
            qr = segno.make(follow_url, error="m").svg_data_uri(scale=4)  # an image drawn here, inline
            return render(
                request, "public/done.html",
                {"case": case, "code": codes.grouped(code), "qr": qr, "kind": kind},
            )  # fmt: skip
    return render(request, "public/apply.html", context)


@never_cache
@require_GET
def regions(request):
    return JsonResponse({"results": routing.search(request.GET.get("q", ""))})


@never_cache
@require_http_methods(["GET", "POST"])
def follow_view(request):
    form = FollowForm(request.POST or None, captcha=limits.needs_captcha(request))
    if request.method == "POST" and limits.limited(request, "lookup"):
        return _throttled(request, "public/follow.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if limits.limited(request, "lookup", phone_key=phone_digest(phone)):
            return _throttled(request, "public/follow.html", {"form": form})
        token, _matched = follow.open_challenge(form.cleaned_data["code"], phone)
        # Every look-up counts towards the CAPTCHA, matched or not: counting only the misses would
        # let a caller learn from the CAPTCHA's coming whether a code and phone belong together.
        limits.failed(request)
        request.public_state = {"challenge": token}
        return redirect("public:otp")
    return render(request, "public/follow.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def otp_view(request):
    token = request.public_state.get("challenge")
    if not token:
        return redirect("public:follow")
    form = OtpForm(request.POST or None, captcha=limits.needs_captcha(request))
    if request.method == "POST" and limits.limited(request, "otp"):
        return _throttled(request, "public/otp.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        if limits.limited(request, "otp", phone_key=token):
            return _throttled(request, "public/otp.html", {"form": form})
        if follow.check_otp(token, form.cleaned_data["otp"]):
            request.public_state = {"grant": token}
            return redirect("public:case")
        limits.failed(request)
        form.add_error(
            None, _("The code is wrong or no longer valid. Check the text message, or start again.")
        )
    return render(request, "public/otp.html", {"form": form})


def _access(request):
    return follow.granted(request.public_state.get("grant"))


@never_cache
@require_GET
def case_view(request):
    access = _access(request)
    if access is None:
        return redirect("public:follow")
    case = progress.specific(access)
    return render(request, "public/case.html", {
        "case": case, "unit": case.handling_unit, "stages": progress.stages(case),
        "deadline": progress.next_deadline(case), "documents": progress.documents(case),
        "evaluate": EvaluationForm() if progress.may_evaluate(case) else None,
        "given": progress.given_evaluation(case),
        "review": ReviewForm() if progress.may_ask_review(case) else None,
        "review_window": progress.review_window(case),
    })  # fmt: skip


@never_cache
@require_GET
def document_view(request, slug):
    access = _access(request)
    if access is None:
        return redirect("public:follow")
    data, name = progress.document_pdf(progress.specific(access), slug)
    return pdf_response(data, name)


def _citizen_step(request, form_class, may, run):
    """A step the citizen takes on their own case page (evaluate, ask for a review): refused
    silently when it is not theirs to take now, said when it was taken meanwhile (a second tab:
    409 with the workflow's message, never a 500)."""
    access = _access(request)
    if access is None:
        return redirect("public:follow")
    case = progress.specific(access)
    form = form_class(request.POST)
    if may(case) and form.is_valid():
        try:
            run(case, form.cleaned_data)
        except TransitionError as exc:
            return HttpResponse(str(exc), status=409)
    return redirect("public:case")


def _evaluate(case, data):
    given = {"value": data["value"], "given_on": timezone.localdate(), "way": progress.ONLINE}
    if isinstance(case, Dispute):
        evaluate_dispute(case.pk, **given)
    else:
        evaluate(case.pk, None, **given)


@never_cache
@require_POST
def evaluate_view(request):
    return _citizen_step(request, EvaluationForm, progress.may_evaluate, _evaluate)


@never_cache
@require_POST
def review_view(request):
    return _citizen_step(
        request, ReviewForm, progress.may_ask_review,
        lambda case, _data: request_review(case.pk, None, requested_on=timezone.localdate()),
    )  # fmt: skip


@never_cache
@require_POST
def leave(request):
    request.public_state = {}
    return redirect("public:index")
