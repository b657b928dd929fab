"""Demo step: build the practice library from whatever demo reviews the earlier steps created."""

from .services import library_reindex_all


def demo_library_create(*, password: str) -> list[str]:
    count = library_reindex_all()
    return [f"  (practice library: {count} entries indexed)"]
