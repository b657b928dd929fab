"""The one way views declare the rule that guards them."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, fn=None):
    """Guard a function view with a rules permission, checked against the object `fn` returns.

    Anonymous users are sent to log in; a logged-in user without the permission gets 403.
    `fn(request, *args, **kwargs)` may raise Http404, so a missing object is a 404 for everyone.
    The object is stored on `request.permission_object` so the view does not load it twice.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn else None
            if not request.user.has_perm(perm, obj):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            request.permission_object = obj
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator
