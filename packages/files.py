"""Where a compile keeps its files, through Django's storage API (iscm_portal/file_storage.py): the "packages"
storage holds the published reports and data packages and each compile's snapshot, the "sections" storage the
sections cache. Tasks hand each other storage names, never local paths, so each may run on another machine;
what WeasyPrint, pikepdf or zipfile need as a file is copied into the task's own temporary folder."""

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from iscm_portal.file_storage import delete_folder

PACKAGES = "packages"
SECTIONS = "sections"


def packages_storage() -> Storage:
    return storages[PACKAGES]


class _PackagesStorage(LazyObject):
    """The "packages" storage for the version's file fields, looked up again when STORAGES changes (tests)."""

    def _setup(self):
        self._wrapped = storages[PACKAGES]


_packages_field_storage = _PackagesStorage()


def packages_file_storage():
    """The storage of `PackageVersion.pdf` and `.zip` (a callable, so migrations do not record the backend)."""
    return _packages_field_storage


@receiver(setting_changed, dispatch_uid="packages-storage-changed")
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _packages_field_storage._wrapped = empty


def published_folder(*, package_id: int, number: int) -> str:
    return f"packages/{package_id}/v{number}"


def work_folder(version_id: int) -> str:
    """A version's snapshot (about 300 KB): kept while it compiles, removed once it is published or failed."""
    return f"packages/work/{version_id}"


def snapshot_save(*, version_id: int, attempt: int, data: bytes) -> str:
    """Store the frozen input of one attempt; its name carries its hash, so a name always means one content."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = f"{work_folder(version_id)}/snapshot-{attempt}-{digest}.json"
    return packages_storage().save(name, ContentFile(data))


def snapshot_read(name: str) -> bytes:
    with packages_storage().open(name, "rb") as handle:
        return handle.read()


def work_files_remove(version_id: int) -> int:
    return delete_folder(packages_storage(), work_folder(version_id))


def work_folders() -> list[int]:
    """The versions that have a work folder."""
    try:
        folders, _files = packages_storage().listdir("packages/work")
    except FileNotFoundError:
        return []
    return [int(name) for name in folders if name.isdigit()]


def publish(local: Path, name: str) -> str:
    """Upload a finished file under `name`, replacing what was there (a reader sees the old or the new file)."""
    with open(local, "rb") as handle:
        return packages_storage().save(name, handle)


@dataclass(frozen=True)
class CachedSection:
    digest: str
    modified: float  # the latest write or reuse, as a timestamp
    size: int  # bytes, its PDF and its description together
    names: tuple[str, ...]


class SectionsCache:
    """Rendered sections named by the hash of the HTML they were made from: `<digest>.pdf`, and `<digest>.json`
    (pages and bookmarks), written after the PDF, so a section whose description can be read is complete.
    Safe to share between packages, versions and workers, and to prune."""

    def __init__(self, storage: Storage | None = None):
        self.storage = storage if storage is not None else storages[SECTIONS]

    def get(self, digest: str) -> dict | None:
        """The section's description, or None if it was never made (or is being written right now)."""
        try:
            with self.storage.open(f"{digest}.json", "rb") as handle:
                return json.loads(handle.read())
        except (FileNotFoundError, ValueError):
            return None

    def put(self, digest: str, pdf: bytes, meta: dict) -> None:
        self.storage.save(f"{digest}.pdf", ContentFile(pdf))
        self.storage.save(f"{digest}.json", ContentFile(json.dumps(meta).encode()))

    def touch(self, digest: str, meta: dict) -> None:
        """Mark a reused section as used now (its description written again), so pruning by age keeps it."""
        self.storage.save(f"{digest}.json", ContentFile(json.dumps(meta).encode()))

    def fetch(self, digest: str, folder: Path) -> Path:
        """A local copy of the section's PDF in `folder`, for pikepdf."""
        target = folder / f"{digest}.pdf"
        with self.storage.open(f"{digest}.pdf", "rb") as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
        return target

    def sections(self) -> Iterator[CachedSection]:
        try:
            _folders, files = self.storage.listdir("")
        except FileNotFoundError:
            return
        groups: dict[str, list[str]] = {}
        for name in files:
            stem, dot, _suffix = name.rpartition(".")
            if dot and not name.startswith("."):
                groups.setdefault(stem, []).append(name)
        for digest, names in groups.items():
            try:
                modified = max(self.storage.get_modified_time(name).timestamp() for name in names)
                size = sum(self.storage.size(name) for name in names)
            except FileNotFoundError:
                continue  # removed meanwhile
            # The description first: without it the section is no longer found, so its PDF can go safely.
            yield CachedSection(digest, modified, size, tuple(sorted(names, key=lambda n: not n.endswith(".json"))))

    def remove(self, section: CachedSection) -> None:
        for name in section.names:
            self.storage.delete(name)


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a local file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()
