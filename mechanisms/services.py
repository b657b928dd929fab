"""Write services of the mechanisms app."""

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gcm import reference_data as gcm_reference
from iscm_portal.reference_loading import UpsertCounter

from . import reference_data as directory_reference


def reference_data_load(
    *,
    gcm_data_dir: Path = gcm_reference.DATA_DIR,
    directory_data_dir: Path = directory_reference.DATA_DIR,
    today: datetime.date | None = None,
) -> UpsertCounter:
    """Load all reference data in one transaction: either every file applies or nothing is written."""
    counter = UpsertCounter()
    with transaction.atomic():
        gcm_reference.gcm_reference_load(counter=counter, data_dir=gcm_data_dir)
        directory_reference.directory_reference_load(
            counter=counter, data_dir=directory_data_dir, today=today or timezone.localdate()
        )
    return counter
