import datetime
import json
import shutil

import pytest

from gcm import reference_data as gcm_reference
from gcm.models import GuidingPrinciple, Objective
from iscm_portal.reference_loading import ReferenceDataError
from mechanisms import reference_data as directory_reference
from mechanisms.enums import GcmVote2018, MembershipRole, UnStatus
from mechanisms.models import Mechanism, Membership, State
from mechanisms.services import reference_data_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dirs(tmp_path):
    """Editable copies of the project's data files."""
    gcm_dir = shutil.copytree(gcm_reference.DATA_DIR, tmp_path / "gcm")
    directory_dir = shutil.copytree(directory_reference.DATA_DIR, tmp_path / "directory")
    return gcm_dir, directory_dir


def edit_json(path, change):
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def load(data_dirs, today=datetime.date(2026, 11, 24)):
    gcm_dir, directory_dir = data_dirs
    return reference_data_load(gcm_data_dir=gcm_dir, directory_data_dir=directory_dir, today=today)


def test_reference_data_loaded_has_real_counts(reference_data):
    assert Objective.objects.count() == 23
    assert GuidingPrinciple.objects.count() == 10
    assert State.objects.filter(un_status=UnStatus.MEMBER_STATE).count() == 193
    assert State.objects.filter(un_status=UnStatus.OBSERVER_STATE).count() == 2
    assert State.objects.filter(un_status=UnStatus.TERRITORY).count() == 13
    assert Mechanism.objects.count() == 32
    assert Mechanism.objects.get(slug="bali-process").kind == "IRF"
    assert Objective.objects.get(number=23).annex_paragraph == 39


def test_reference_data_memberships_match_the_data_file(reference_data):
    records = {r["slug"]: r for r in json.loads((directory_reference.DATA_DIR / "iscms.json").read_text())}
    bali = Mechanism.objects.get(slug="bali-process")
    members = set(bali.memberships.current().filter(role=MembershipRole.MEMBER).values_list("state__iso3", flat=True))
    assert members == set(records["bali-process"]["members"])
    assert "HKG" in members
    assert State.objects.get(iso3="HKG").gcm_vote_2018 == GcmVote2018.NOT_APPLICABLE


def test_reference_data_records_2018_vote(reference_data):
    assert State.objects.get(iso3="HUN").gcm_vote_2018 == GcmVote2018.AGAINST
    assert State.objects.get(iso3="AUS").gcm_vote_2018 == GcmVote2018.ABSTAINED
    assert State.objects.get(iso3="MEX").gcm_vote_2018 == GcmVote2018.IN_FAVOUR_OR_NOT_VOTING
    assert "rejoined in 2023" in State.objects.get(iso3="BRA").gcm_stance_note


def test_reference_data_second_load_changes_nothing(reference_data, data_dirs):
    memberships_before = Membership.objects.count()
    counter = load(data_dirs)
    assert sum(n for (_, outcome), n in counter.items() if outcome in ("created", "updated")) == 0
    assert Membership.objects.count() == memberships_before
    assert State.objects.count() == 208


def test_reference_data_edit_updates_rows_in_place(reference_data, data_dirs):
    gcm_dir, directory_dir = data_dirs
    bali_pk = Mechanism.objects.get(slug="bali-process").pk

    def rename(records):
        next(r for r in records if r["slug"] == "bali-process")["name"] = "Bali Process (renamed)"

    edit_json(directory_dir / "iscms.json", rename)
    counter = load(data_dirs)
    assert counter[("Mechanisms", "updated")] == 1
    assert Mechanism.objects.get(slug="bali-process").pk == bali_pk
    assert Mechanism.objects.get(slug="bali-process").name == "Bali Process (renamed)"
    assert Mechanism.objects.count() == 32


def test_reference_data_member_leaving_is_recorded_not_deleted(reference_data, data_dirs):
    _, directory_dir = data_dirs

    def drop_mali(records):
        next(r for r in records if r["slug"] == "midwa")["members"].remove("MLI")

    edit_json(directory_dir / "iscms.json", drop_mali)
    load(data_dirs, today=datetime.date(2026, 11, 24))
    rows = list(Membership.objects.filter(mechanism__slug="midwa", state__iso3="MLI"))
    assert [(row.role, row.end_date) for row in rows] == [(MembershipRole.MEMBER, datetime.date(2026, 11, 24))]


def test_reference_data_unknown_iso_code_rejected_and_nothing_written(reference_data, data_dirs):
    gcm_dir, directory_dir = data_dirs
    edit_json(gcm_dir / "gcm_objectives.json", lambda records: records[0].update(title="Changed title"))
    edit_json(directory_dir / "iscms.json", lambda records: records[0]["members"].append("XXX"))

    with pytest.raises(ReferenceDataError) as error:
        load(data_dirs)

    assert str(error.value) == "iscms.json: record almaty-process: field 'members': unknown ISO code 'XXX'"
    assert Objective.objects.get(number=1).title.startswith("Collect and utilize accurate")


def test_reference_data_missing_field_named(reference_data, data_dirs):
    _, directory_dir = data_dirs
    edit_json(directory_dir / "states.json", lambda records: records[1].pop("name"))
    with pytest.raises(ReferenceDataError) as error:
        load(data_dirs)
    assert (error.value.file, error.value.record, error.value.field) == ("states.json", "ALB", "name")


def test_load_reference_data_command_reports_rejection(reference_data, monkeypatch, data_dirs):
    from django.core.management import CommandError, call_command

    _, directory_dir = data_dirs
    edit_json(directory_dir / "iscms.json", lambda records: records[0].update(kind="XYZ"))
    monkeypatch.setattr(directory_reference, "DATA_DIR", directory_dir)
    monkeypatch.setattr(
        reference_data_load,
        "__kwdefaults__",
        {
            "gcm_data_dir": gcm_reference.DATA_DIR,
            "directory_data_dir": directory_dir,
            "today": None,
        },
    )
    with pytest.raises(CommandError) as error:
        call_command("load_reference_data")
    assert "iscms.json: record almaty-process: field 'kind': unknown kind 'XYZ'" in str(error.value)
    assert Mechanism.objects.get(slug="almaty-process").kind == "RCP"


def test_reference_data_partners_derived_from_associated_organisations(reference_data):
    from mechanisms.enums import OrganisationKind

    rabat = Mechanism.objects.get(slug="rabat-process")
    assert sorted(rabat.partners.values_list("name", flat=True)) == ["ECOWAS", "European Union"]
    midwa = Mechanism.objects.get(slug="midwa")
    assert [(p.name, p.kind) for p in midwa.partners.all()] == [("ECOWAS", OrganisationKind.REGIONAL_ORGANISATION)]
    assert Mechanism.objects.get(slug="almaty-process").partners.count() == 0


def test_reference_data_leaves_unknown_profile_facts_blank(reference_data):
    bali = Mechanism.objects.get(slug="bali-process")
    assert (bali.gcm_review_mandate, bali.gcm_focal_point, bali.contact_points, bali.chair_terms.count()) == (
        None,
        "",
        "",
        0,
    )


def test_reference_data_bad_partner_record_changes_nothing(reference_data, data_dirs):
    _, directory_dir = data_dirs

    def break_records(records):
        records[0]["associated_organisation"] = "New Partner Organisation"
        records[-1]["kind"] = "NOPE"

    edit_json(directory_dir / "iscms.json", break_records)
    with pytest.raises(ReferenceDataError):
        load(data_dirs)
    assert Mechanism.objects.get(slug="almaty-process").partners.count() == 0
    from mechanisms.models import Organisation

    assert not Organisation.objects.filter(name="New Partner Organisation").exists()
