"""Where a compile keeps its files, and how they are written so that no reader ever sees half a file."""

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def packages_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "packages"


def parts_cache_dir() -> Path:
    """Rendered sections, named by the hash of their content; safe to share between packages and to prune."""
    configured = getattr(settings, "PACKAGES_PARTS_DIR", None)
    return Path(configured) if configured else packages_root() / "parts"


def work_dir(version_id: int) -> Path:
    return packages_root() / "work" / str(version_id)


@contextmanager
def replaced_atomically(target: Path) -> Iterator[Path]:
    """A temporary path next to `target`, renamed onto it when the block succeeds and removed when it fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes) -> None:
    """Write next to the target, then rename: a reader never sees half a file."""
    with replaced_atomically(target) as tmp:
        tmp.write_bytes(data)


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()
