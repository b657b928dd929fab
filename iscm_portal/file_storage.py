"""Where the portal keeps files: Django's named storages (settings.STORAGES), on disk or in an S3-compatible bucket.

- "default": review attachments (uploads, never overwritten: a name that exists gets another one);
- "packages": compiled package files (PDF report, data package ZIP) and each compile's snapshot;
- "sections": the sections cache of compiles (rendered parts, named by the hash of their content).

Tasks pass storage names, never local paths, so web servers and workers need no shared disk: on several
machines point them all at one bucket (S3_BUCKET and friends, README "Files and storage"). What WeasyPrint or
pikepdf must read as a file is copied into a temporary folder inside the task.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import suppress

import environ
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.functional import cached_property


class AtomicFileSystemStorage(FileSystemStorage):
    """A folder that behaves like a bucket: a file is written beside its name and renamed onto it, so a reader
    sees the old file or the new one, never half of one, and saving a name that exists replaces it."""

    def __init__(self, *, media_subfolder: str = "", **kwargs):
        """`media_subfolder`: with no `location`, a folder inside MEDIA_ROOT (which tests may change)."""
        kwargs.setdefault("allow_overwrite", True)
        self._media_subfolder = media_subfolder
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        if self._location is None and self._media_subfolder:
            return os.path.join(settings.MEDIA_ROOT, self._media_subfolder)
        return super().base_location

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        try:
            os.makedirs(directory, exist_ok=True)
        except FileExistsError as error:
            raise FileExistsError(f"{directory} exists and is not a directory.") from error
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            os.chmod(tmp, self.file_permissions_mode or 0o644)
            os.replace(tmp, full_path)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def listdir(self, path):
        """Like FileSystemStorage's, without the temporary files of writes in progress."""
        directories, files = super().listdir(path)
        return directories, [name for name in files if not (name.startswith(".") and name.endswith(".tmp"))]


def walk_files(storage: Storage, prefix: str) -> Iterator[str]:
    """Every file name under `prefix` (a folder), in any storage, its subfolders included."""
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix.rstrip('/')}/{name}" if prefix else name
    for directory in directories:
        yield from walk_files(storage, f"{prefix.rstrip('/')}/{directory}" if prefix else directory)


def delete_folder(storage: Storage, prefix: str) -> int:
    """Delete every file under `prefix`; returns how many there were."""
    names = list(walk_files(storage, prefix))
    for name in names:
        storage.delete(name)
    if isinstance(storage, FileSystemStorage):
        _remove_empty_folders(storage.path(prefix))
    return len(names)


def _remove_empty_folders(top: str) -> None:
    if not os.path.isdir(top):
        return
    for root, _directories, _files in os.walk(top, topdown=False):
        with suppress(OSError):
            os.rmdir(root)  # fails, and stays, if it is not empty


def file_storages(env: environ.Env, *, parts_dir: str = "") -> dict:
    """STORAGES' file entries from the environment: folders under MEDIA_ROOT, or a bucket when S3_BUCKET is set.

    S3_BUCKET, S3_ENDPOINT_URL (any S3-compatible service: MinIO, Ceph, Scaleway, OVH, moto…), S3_REGION,
    S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or boto3's usual AWS_* variables and instance roles),
    S3_PREFIX (a folder inside the bucket, to share one), S3_ADDRESSING_STYLE (path for most self-hosted ones).
    """
    bucket = env("S3_BUCKET", default="")
    if not bucket:
        atomic = "iscm_portal.file_storage.AtomicFileSystemStorage"
        sections = {"location": str(parts_dir)} if parts_dir else {"media_subfolder": "packages/parts"}
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "packages": {"BACKEND": atomic},
            "sections": {"BACKEND": atomic, "OPTIONS": sections},
        }
    prefix = env("S3_PREFIX", default="").strip("/")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
        "region_name": env("S3_REGION", default="") or None,
        "addressing_style": env("S3_ADDRESSING_STYLE", default="") or None,
        "default_acl": None,  # private objects: files are only served through views that check permissions
        "querystring_auth": True,
    }
    if env("S3_ACCESS_KEY_ID", default=""):
        options |= {"access_key": env("S3_ACCESS_KEY_ID"), "secret_key": env("S3_SECRET_ACCESS_KEY")}

    def bucket_folder(folder: str, *, overwrite: bool) -> dict:
        location = "/".join(part for part in (prefix, folder) if part)
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": location, "file_overwrite": overwrite},
        }

    return {
        "default": bucket_folder("", overwrite=False),
        "packages": bucket_folder("", overwrite=True),
        "sections": bucket_folder("packages/parts", overwrite=True),
    }
