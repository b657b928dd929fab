"""Checks shared by the pledge forms and the API, so a rule has one owner whichever way the input comes."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def validate_progress_date(date) -> None:
    """A progress update reports what happened: it cannot be dated in the future."""
    if date > timezone.localdate():
        raise ValidationError(_("A progress update cannot be dated in the future."))
