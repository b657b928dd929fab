"""The named storages: folders that are written whole by default, a bucket from the S3_* variables."""

import threading

import environ
from django.core.files.base import ContentFile

from iscm_portal.file_storage import AtomicFileSystemStorage, delete_folder, file_storages, walk_files


def test_without_a_bucket_files_live_in_folders_under_media_root(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    storages = file_storages(environ.Env())
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["packages"] == {"BACKEND": "iscm_portal.file_storage.AtomicFileSystemStorage"}
    assert storages["sections"]["OPTIONS"] == {"media_subfolder": "packages/parts"}
    assert file_storages(environ.Env(), parts_dir="/srv/parts")["sections"]["OPTIONS"] == {"location": "/srv/parts"}


def test_s3_variables_put_every_storage_in_the_bucket_privately(monkeypatch):
    for key, value in {
        "S3_BUCKET": "portal-files",
        "S3_ENDPOINT_URL": "https://s3.example.org",
        "S3_REGION": "eu-west-3",
        "S3_ACCESS_KEY_ID": "key",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_PREFIX": "/iscm/",
    }.items():
        monkeypatch.setenv(key, value)
    storages = file_storages(environ.Env())
    backends = {alias: entry["BACKEND"] for alias, entry in storages.items()}
    assert backends == dict.fromkeys(("default", "packages", "sections"), "storages.backends.s3.S3Storage")
    default, packages, sections = (storages[alias]["OPTIONS"] for alias in ("default", "packages", "sections"))
    assert default["bucket_name"] == "portal-files" and default["endpoint_url"] == "https://s3.example.org"
    assert (default["access_key"], default["secret_key"], default["region_name"]) == ("key", "secret", "eu-west-3")
    assert default["default_acl"] is None  # private: served only through the views that check permissions
    # Uploads never replace one another; package files and sections are replaced whole.
    assert (default["file_overwrite"], packages["file_overwrite"], sections["file_overwrite"]) == (False, True, True)
    assert (default["location"], packages["location"], sections["location"]) == ("iscm", "iscm", "iscm/packages/parts")


def test_atomic_storage_replaces_a_file_whole_and_lists_no_half_written_one(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    storage = AtomicFileSystemStorage(media_subfolder="parts")
    assert storage.save("a/b.pdf", ContentFile(b"first")) == "a/b.pdf"
    assert storage.save("a/b.pdf", ContentFile(b"second")) == "a/b.pdf"  # replaced, not renamed
    assert (tmp_path / "parts" / "a" / "b.pdf").read_bytes() == b"second"
    (tmp_path / "parts" / "a" / ".b.pdf.x1.tmp").write_bytes(b"half")  # a write in progress elsewhere
    assert list(walk_files(storage, "")) == ["a/b.pdf"]

    readers_saw = set()
    stop = threading.Event()

    def read():
        while not stop.is_set():
            with storage.open("a/b.pdf") as handle:
                readers_saw.add(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(200):
        storage.save("a/b.pdf", ContentFile(b"x" * 100_000))
        storage.save("a/b.pdf", ContentFile(b"y" * 100_000))
    stop.set()
    reader.join()
    assert readers_saw <= {b"second", b"x" * 100_000, b"y" * 100_000}

    assert delete_folder(storage, "a") == 1
    assert list(walk_files(storage, "")) == []
