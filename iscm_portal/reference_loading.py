"""Building blocks for idempotent loading of the reference data files."""

import json
from collections import Counter
from pathlib import Path

from django.db import models
from django.utils.text import capfirst

from .reference_languages import TRANSLATED_LANGUAGES


class ReferenceDataError(Exception):
    """Bad reference data; the message names the file, the record and the field."""

    def __init__(self, file: str, record: str, field: str, problem: str):
        self.file, self.record, self.field, self.problem = file, record, field, problem
        super().__init__(f"{file}: record {record}: field '{field}': {problem}")


def read_records(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceDataError(path.name, "-", "-", "file not found") from None
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(path.name, f"line {exc.lineno}", "-", f"invalid JSON ({exc.msg})") from None
    if not isinstance(data, list):
        raise ReferenceDataError(path.name, "-", "-", "expected a list of records")
    return data


def require(record: dict, field: str, kind: type | tuple, *, file: str, label: str, allow_null=False):
    """Return record[field], checking that it is present and of the expected type."""
    if field not in record:
        raise ReferenceDataError(file, label, field, "missing")
    value = record[field]
    if value is None and allow_null:
        return None
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise ReferenceDataError(file, label, field, f"expected {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


class UpsertCounter(Counter):
    """Counts created / updated / unchanged rows per model for the command's report."""

    def count(self, model: type[models.Model], outcome: str) -> None:
        self[(capfirst(str(model._meta.verbose_name_plural)), outcome)] += 1

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Create or update one row, writing only when something differs (so reloading changes nothing)."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            self.count(model, "created")
            return model.objects.create(**lookup, **values)
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.save(update_fields=changed)
            self.count(model, "updated")
        else:
            self.count(model, "unchanged")
        return obj

    def summary(self) -> list[str]:
        return [
            f"{label}: {self[(label, 'created')]} created, {self[(label, 'updated')]} updated, "
            f"{self[(label, 'unchanged')]} unchanged"
            for label in sorted({label for label, _ in self})
        ]


def translations(record: dict, field: str, *, file: str, label: str) -> dict[str, str]:
    """The French and Spanish values of `field` (`<field>_fr`, `<field>_es`); null (no official source found) is
    stored blank, so the English value shows instead (iscm_portal.reference_languages)."""
    return {
        f"{field}_{language}": require(record, f"{field}_{language}", str, file=file, label=label, allow_null=True)
        or ""
        for language in TRANSLATED_LANGUAGES
    }
