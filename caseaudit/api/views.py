"""Pages where people create, see and revoke their personal API tokens."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from caseaudit.api import actions
from caseaudit.api.forms import TokenForm
from caseaudit.api.models import ApiToken
from caseaudit.lib.types import AuthenticatedRequest


def token_list(request: AuthenticatedRequest) -> HttpResponse:
    tokens = request.user.api_tokens.all()
    return render(request, "api/token_list.html", {"tokens": tokens})


@never_cache
def token_new(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token, secret = actions.create_token(request.user, **form.token_values())
        # Shown on this response only: the secret is never stored, so it cannot be shown again.
        return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/token_form.html", {"form": form})


def token_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404("No such token")
    if request.method == "POST":
        actions.revoke_token(token, by=request.user)
        messages.success(request, f"The token “{token.name}” has been revoked: it no longer works.")
        return redirect("api:token-list")
    return render(request, "api/token_revoke.html", {"token": token})
