"""Permissions of API views, answered by django-rules like every page's (the apps' rules.py).

A view names the rule each HTTP method needs in `rules`, e.g. `{"POST": "pledges.add_pledge_update"}`;
`has_permission` asks it without an object and `has_object_permission` with the object the view loaded
(`get_object`). A method the view names no rule for is allowed when it only reads (GET, HEAD, OPTIONS) and
refused otherwise, so a view that forgets its rule never writes. Which rows a read shows is the selectors'
business (each app's `visible_*`), as on the pages.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class RulePermission(BasePermission):
    def _rule(self, request, view) -> str | None:
        return getattr(view, "rules", {}).get(request.method)

    def has_permission(self, request, view):
        if not hasattr(view, request.method.lower()):
            return True  # the view does not answer this method: 405, whoever asks
        rule = self._rule(request, view)
        if rule is None:
            return request.method in SAFE_METHODS
        if getattr(view, "rules_on_object", False):
            return True  # asked again with the object, once the view has loaded it
        return request.user.has_perm(rule)

    def has_object_permission(self, request, view, obj):
        rule = self._rule(request, view)
        if rule is None:
            return request.method in SAFE_METHODS
        return request.user.has_perm(rule, obj)
