"""Backups you can restore: the database (pg_dump) and the files of the portal's storages, with checksums.

A backup is a folder:

    database.dump            pg_dump's custom format (pg_restore reads it)
    files/<storage>/<name>   every file of the "default" storage (attachments) and of the "packages" storage
                             (reports and data packages), whatever the storage is (a folder or a bucket)
    manifest.json            when, which PostgreSQL, and the size and SHA-256 of the dump and of every file

The sections cache is left out: it is rebuilt by the next compile. So are the snapshots of compiles in progress
(packages/work/): a compile restored as running is noticed by its lapsed lease and started again.

`backup_create` dumps the database first, then copies the files, so every file a row of the dump names exists
(a file added during the backup is copied too; it harms nothing). `backup_restore` checks every checksum
before it touches anything, restores into an empty database and empty storages (it refuses otherwise), then
reads every file back from the storages and compares the checksums again.
"""

import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

from iscm_portal.file_storage import walk_files

STORAGES_BACKED_UP = ("default", "packages")
SKIPPED_PREFIXES = {"packages": ("packages/work/",)}
DUMP = "database.dump"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupSummary:
    folder: Path
    files: int
    bytes: int


def _sha256(handle, copy=None) -> tuple[int, str]:
    """Size and SHA-256 of what `handle` reads, written to `copy` on the way when one is given."""
    digest, size = hashlib.sha256(), 0
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
        size += len(block)
        if copy is not None:
            copy.write(block)
    return size, digest.hexdigest()


def _postgres() -> tuple[list[str], dict]:
    """Connection arguments and environment for pg_dump and pg_restore, from the portal's own database."""
    if connection.vendor != "postgresql":
        raise BackupError(f"Backups need PostgreSQL (DATABASE_URL); this portal runs on {connection.vendor}.")
    db = connection.settings_dict
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", db["HOST"]]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or "", "PGCONNECT_TIMEOUT": "10"}
    return arguments, env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _backed_up_names(alias: str) -> list[str]:
    skipped = SKIPPED_PREFIXES.get(alias, ())
    return sorted(name for name in walk_files(storages[alias], "") if not name.startswith(skipped))


def backup_create(*, folder: Path) -> BackupSummary:
    """Write a backup into `folder`, which must not exist yet or be empty."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; name a new folder for each backup.")
    folder.mkdir(parents=True, exist_ok=True)
    arguments, env = _postgres()
    dump = folder / DUMP
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *arguments], env)
    with open(dump, "rb") as handle:
        dump_size, dump_sha = _sha256(handle)
    files, total = [], dump_size
    for alias in STORAGES_BACKED_UP:
        storage = storages[alias]
        for name in _backed_up_names(alias):
            target = folder / "files" / alias / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with storage.open(name, "rb") as source, open(target, "wb") as copy:
                    size, sha = _sha256(source, copy)
            except FileNotFoundError:
                target.unlink(missing_ok=True)
                continue  # deleted since it was listed
            files.append({"storage": alias, "name": name, "size": size, "sha256": sha})
            total += size
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    manifest = {
        "created_at": timezone.now().isoformat(),
        "postgresql": server_version,
        "database": {"file": DUMP, "size": dump_size, "sha256": dump_sha},
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return BackupSummary(folder=folder, files=len(files), bytes=total)


def backup_verify(*, folder: Path) -> dict:
    """The backup's manifest, once the dump and every file in it match their size and checksum."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a backup of this portal.") from error
    except ValueError as error:
        raise BackupError(f"{folder / MANIFEST} cannot be read: {error}") from error
    expected = [(folder / DUMP, manifest["database"])]
    expected += [(folder / "files" / item["storage"] / item["name"], item) for item in manifest["files"]]
    for path, item in expected:
        try:
            with open(path, "rb") as handle:
                size, sha = _sha256(handle)
        except FileNotFoundError as error:
            raise BackupError(f"{path} is missing from the backup.") from error
        if (size, sha) != (item["size"], item["sha256"]):
            raise BackupError(f"{path} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def backup_restore(*, folder: Path) -> BackupSummary:
    """Restore the backup in `folder` into this portal's database and storages, both empty."""
    folder = Path(folder)
    manifest = backup_verify(folder=folder)
    arguments, env = _postgres()
    if not _database_is_empty():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty; restore into a new database "
            "(createdb) and point DATABASE_URL at it."
        )
    for alias in STORAGES_BACKED_UP:
        if _backed_up_names(alias):
            raise BackupError(f'The "{alias}" storage already holds files; restore into an empty folder or bucket.')
    connection.close()  # pg_restore works on its own connection; ours would only hold an idle session
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *arguments, str(folder / DUMP)], env)
    total = 0
    for item in manifest["files"]:
        storage = storages[item["storage"]]
        with open(folder / "files" / item["storage"] / item["name"], "rb") as source:
            saved = storage.save(item["name"], source)
        if saved != item["name"]:
            raise BackupError(f"{item['name']} was stored as {saved}: the storage renamed it.")
        with storage.open(saved, "rb") as handle:
            size, sha = _sha256(handle)
        if (size, sha) != (item["size"], item["sha256"]):
            raise BackupError(f"{item['name']} reads back with another checksum from the {item['storage']} storage.")
        total += size
    return BackupSummary(folder=folder, files=len(manifest["files"]), bytes=total)
