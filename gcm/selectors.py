"""Reads of the GCM's reference data for other apps: its objectives and guiding principles.

The lists change only when the reference data is loaded again or an administrator edits it, and both expire the
page cache (iscm_portal/page_cache.py, kind MECHANISMS): pages that show them on every request take them from
there, one round trip to the cache shared with nothing else, instead of a query each.
"""

from iscm_portal import page_cache

from .models import GuidingPrinciple, Objective


def objectives() -> list[Objective]:
    """The 23 objectives, by number."""
    return page_cache.cached(
        "gcm-objectives", kinds=(page_cache.MECHANISMS,), vary=(), compute=lambda: list(Objective.objects.all())
    )


def guiding_principles() -> list[GuidingPrinciple]:
    """The ten guiding principles, by letter."""
    return page_cache.cached(
        "gcm-guiding-principles",
        kinds=(page_cache.MECHANISMS,),
        vary=(),
        compute=lambda: list(GuidingPrinciple.objects.all()),
    )
