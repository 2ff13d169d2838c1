from django.http import HttpRequest

from caseaudit.accounts.models import SignInEvent, SignInMethod, User
from caseaudit.lib.client_address import client_address


def record_sign_in(
    request: HttpRequest, user: User, method: SignInMethod, *, succeeded: bool
) -> SignInEvent:
    """Add one attempt to the user's sign-in history: when, from where, how, and whether it
    succeeded. What was typed is never kept."""
    return SignInEvent.objects.create(
        user=user, address=client_address(request), method=method, succeeded=succeeded
    )
