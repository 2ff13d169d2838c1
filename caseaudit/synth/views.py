from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The service is up. Touches no database: a load balancer's probe, and the floor that
    `make bench` measures every page against."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
