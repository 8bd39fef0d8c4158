from django.contrib.auth import logout

from . import roles


class InactiveBookshopLogoutMiddleware:
    """A login of a bookshop that was switched off loses its open session at its next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = getattr(user, "bookshop_membership", None)
            if membership is not None and roles.bookshop_id_of(user) is None:
                logout(request)
        return self.get_response(request)
