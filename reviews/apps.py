from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Regional reviews")

    def ready(self):
        from . import workflow_rules  # noqa: F401  (registers the workflow permissions)
