"""Schemathesis against a live server holding the demo data: every endpoint and method of /api/schema/, anonymous
and with a focal point's token, must answer without a server error and as the schema says (status codes,
content types, headers and bodies).

The server is pytest-django's live server (the test settings, PostgreSQL or SQLite as configured) and the
schemathesis CLI runs against it in a subprocess, as a client would. The focal point (`focal.ghana`) posts
progress updates on one of Ghana's pledges, so the write path is fuzzed too, not only its refusals.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.enums import TokenScope
from accounts.models import User
from accounts.services import api_token_create
from mechanisms.models import State
from pledges.models import Pledge

pytestmark = pytest.mark.fuzz

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
# Test cases per operation and phase; the whole test stays within a few minutes on a CI machine.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
SEED = os.environ.get("FUZZ_SEED", "20261202")


@pytest.fixture
def demo_server(live_server, settings, reference_data):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", password="fuzz-demo-pw", verbosity=0)
    settings.DEBUG = False
    return live_server


def _schemathesis(
    base_url: str, tmp_path: Path, *, label: str, headers: list[str], config: str = ""
) -> tuple[int, str]:
    config_file = tmp_path / f"{label}.toml"
    config_file.write_text(config)
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config_file),
        "run",
        f"{base_url}/api/schema/",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "2",
        "--phases",
        "examples,coverage,fuzzing",
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "60",
        "--no-shrink",
        "--continue-on-failure",
        *[part for header in headers for part in ("--header", header)],
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=900)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("st", path=str(Path(sys.executable).parent)) is None, reason="needs schemathesis")
def test_schemathesis_finds_nothing_anonymous_and_with_a_focal_points_token(demo_server, tmp_path):
    ghana_focal = User.objects.get(username="focal.ghana")
    _token, secret = api_token_create(user=ghana_focal, name="fuzz", scope=TokenScope.READ_WRITE)
    own_pledge = Pledge.objects.filter(pledger_state=State.objects.get(iso3="GHA")).order_by("pk").first()
    own_pledge_updates = textwrap.dedent(
        f"""
        [[operations]]
        include-path = "/api/v1/pledges/{{id}}/updates/"
        parameters = {{ "path.id" = {own_pledge.pk} }}
        """
    )
    anonymous = _schemathesis(demo_server.url, tmp_path, label="anonymous", headers=[])
    focal_point = _schemathesis(
        demo_server.url,
        tmp_path,
        label="focal-point",
        headers=[f"Authorization: Bearer {secret}"],
        config=own_pledge_updates,
    )
    assert (anonymous[0], focal_point[0]) == (0, 0), anonymous[1][-6000:] + "\n" + focal_point[1][-6000:]
    assert own_pledge.updates.filter(author=ghana_focal).exists()
