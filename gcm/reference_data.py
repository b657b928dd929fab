"""Loads the GCM objectives and guiding principles from gcm/data/."""

from pathlib import Path

from iscm_portal.reference_loading import ReferenceDataError, UpsertCounter, read_records, require, translations

from .models import GuidingPrinciple, Objective

DATA_DIR = Path(__file__).resolve().parent / "data"


def gcm_reference_load(*, counter: UpsertCounter, data_dir: Path = DATA_DIR) -> None:
    """Upsert the 23 objectives and 10 guiding principles. Call inside a transaction."""
    file = "gcm_objectives.json"
    numbers = set()
    for index, record in enumerate(read_records(data_dir / file), start=1):
        label = f"#{index}"
        number = require(record, "number", int, file=file, label=label)
        label = f"objective {number}"
        if not 1 <= number <= 23 or number in numbers:
            raise ReferenceDataError(file, label, "number", "must be a unique number from 1 to 23")
        numbers.add(number)
        counter.upsert(
            Objective,
            {"number": number},
            {
                "title": require(record, "title", str, file=file, label=label),
                **translations(record, "title", file=file, label=label),
                "short_label": require(record, "short_label", str, file=file, label=label),
                "annex_paragraph": require(record, "annex_paragraph", int, file=file, label=label),
            },
        )

    file = "gcm_guiding_principles.json"
    for index, record in enumerate(read_records(data_dir / file), start=1):
        slug = require(record, "slug", str, file=file, label=f"#{index}")
        counter.upsert(
            GuidingPrinciple,
            {"slug": slug},
            {
                "letter": require(record, "letter", str, file=file, label=slug),
                "name": require(record, "name", str, file=file, label=slug),
                **translations(record, "name", file=file, label=slug),
                "annex_paragraph": require(record, "annex_paragraph", int, file=file, label=slug),
            },
        )
