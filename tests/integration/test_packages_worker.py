"""A real Celery worker on Redis compiles a small package while the test polls the progress endpoint."""

import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from pypdf import PdfReader

from packages.models import PackageVersion

pytestmark = pytest.mark.integration


def test_worker_compiles_package_while_progress_is_polled(celery_worker_process, small_package, client, iom_user):
    package = small_package
    client.force_login(iom_user)

    response = client.post(f"/packages/{package.pk}/compile/", {"request_token": str(uuid.uuid4())})
    assert response.status_code == 302

    seen, deadline = [], time.monotonic() + 180
    while time.monotonic() < deadline:
        state = client.get(f"/packages/{package.pk}/versions/1/progress/?format=json").json()
        if not seen or seen[-1] != (state["status"], state["progress"]):
            seen.append((state["status"], state["progress"]))
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert state["status"] == "done", state["error"]
    assert state["progress"] == 100
    assert (state["parts_done"], state["parts_total"]) == (28, 28)
    statuses = [status for status, _progress in seen]
    assert statuses[-1] == "done"
    assert "compiling" in statuses  # the poll saw it working, not only the end
    progresses = [progress for _status, progress in seen]
    assert progresses == sorted(progresses)

    version = PackageVersion.objects.get(package=package)
    reader = PdfReader(Path(settings.MEDIA_ROOT) / version.pdf.name)
    assert len(reader.pages) == version.pdf_pages
    assert [item["mechanism"] for item in version.review_versions] == ["Bali Process", "MIDWA"]
    _folders, cached = storages["sections"].listdir("")
    assert sum(name.endswith(".pdf") for name in cached) >= version.parts_total  # the sections cache
