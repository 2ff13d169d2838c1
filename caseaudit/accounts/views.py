from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from caseaudit import access
from caseaudit.accounts.forms import SignInForm


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(next_url or "home")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:sign-in")


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/home.html",
        {
            "user": user,
            "can_manage_tools": access.can_manage_tools(user),
            "can_manage_accounts": access.can_manage_accounts(user),
            "open_escalations": access.visible_escalations(user)
            .filter(responded_at__isnull=True)
            .count(),
        },
    )
