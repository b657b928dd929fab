"""Reference names in three languages: official French/Spanish M49 region names where a source gives one, English
(marked lang="en") where none does; review statuses and mechanism kinds translated through the catalogues."""

import pytest
from django.utils import translation

from iscm_portal.reference_loading import ReferenceDataError
from mechanisms.enums import MechanismKind
from mechanisms.models import Region
from reviews.enums import ReviewStatus
from tests.mechanisms.test_reference_data import data_dirs, edit_json, load  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_region_names_loaded_from_the_data_file(reference_data):
    names = {r.name: (r.name_fr, r.name_es) for r in Region.objects.filter(level="continent")}
    assert names == {
        "Africa": ("Afrique", "Africa"),
        "Americas": ("Amériques", "Américas"),
        "Asia": ("Asie", "Asia"),
        "Europe": ("Europe", "Europa"),
        "Oceania": ("Océanie", "Oceanía"),
    }
    # No source gives the sub-regions' names: blank, so pages show the English name.
    assert list(Region.objects.exclude(level="continent").exclude(name_fr="").values_list("name", flat=True)) == []


def test_region_name_follows_the_active_language_and_says_which(reference_data):
    americas = Region.objects.get(name="Americas")
    western_africa = Region.objects.get(name="Western Africa")
    with translation.override("es"):
        assert (americas.localized_name, americas.localized_name_language) == ("Américas", "es")
        assert (western_africa.localized_name, western_africa.localized_name_language) == ("Western Africa", "en")
    with translation.override("en"):
        assert (americas.localized_name, americas.localized_name_language) == ("Americas", "en")


def test_region_names_reload_changes_nothing(reference_data, data_dirs):  # noqa: F811
    counter = load(data_dirs)
    assert all(" 0 created, 0 updated, " in line for line in counter.summary())


@pytest.mark.parametrize(
    ("change", "record", "problem"),
    [
        (lambda records: records.append({**records[1], "name": "Atlantis"}), "Atlantis", "not a region"),
        (lambda records: records.append(records[1]), "Africa", "listed twice"),
        (lambda records: records[1].update(name_fr=3), "Africa", "name_fr"),
    ],
)
def test_region_names_file_rejects_bad_records(reference_data, data_dirs, change, record, problem):  # noqa: F811
    edit_json(data_dirs[1] / "m49_region_names.json", change)
    with pytest.raises(ReferenceDataError) as error:
        load(data_dirs)
    assert error.value.file == "m49_region_names.json"
    assert error.value.record == record
    assert problem in str(error.value)


def test_directory_page_in_french_names_regions_and_marks_english_ones(client, reference_data):
    html = client.get("/fr/directory/").content.decode()
    africa = Region.objects.get(name="Africa")
    western = Region.objects.get(name="Western Africa")
    assert f'<option value="{africa.pk}">Afrique (' in html
    assert f'<option value="{western.pk}" lang="en">&nbsp;&nbsp;&nbsp;&nbsp;Western Africa (' in html
    assert '<option value="CIV" lang="en">Côte d’Ivoire (' in html
    assert "Processus consultatif régional (" in html  # the kind facet


def test_state_page_in_spanish_marks_the_english_state_name(client, reference_data):
    html = client.get("/es/directory/states/CIV/").content.decode()
    assert '<h1 class="h2 mb-1"><span lang="en">Côte d’Ivoire</span> <small' in html
    assert "Africa · Sub-Saharan Africa" not in html
    assert 'Africa · <span lang="en">Sub-Saharan Africa</span> · <span lang="en">Western Africa</span>' in html


def test_english_page_marks_nothing(client, reference_data):
    html = client.get("/directory/states/CIV/").content.decode()
    assert '<h1 class="h2 mb-1">Côte d’Ivoire <small' in html
    assert "Africa · Sub-Saharan Africa · Western Africa" in html


def test_mechanism_page_in_french_groups_members_under_translated_regions(client, reference_data):
    html = client.get("/fr/directory/mechanisms/africa-eu-mmd/").content.decode()
    assert '<h4 class="h6 mb-1">Afrique <span' in html
    assert '<h4 class="h6 mb-1">Europe <span' in html
    assert '<p class="lead mb-0"><span lang="en">' in html


@pytest.mark.parametrize("language", ["fr", "es"])
def test_review_statuses_and_mechanism_kinds_are_translated(language):
    with translation.override(language):
        labels = [str(label) for label in [*ReviewStatus.labels, *MechanismKind.labels]]
    with translation.override("en"):
        english = [str(label) for label in [*ReviewStatus.labels, *MechanismKind.labels]]
    assert [label for label, source in zip(labels, english, strict=True) if label == source] == []


def test_region_selects_and_charts_name_regions_in_the_pages_language(client, reference_data):
    html = client.get("/es/pledges/").content.decode()
    africa = Region.objects.get(name="Africa")
    americas = Region.objects.get(name="Americas")
    assert f'<option value="{africa.pk}">Africa</option>' in html
    assert f'<option value="{americas.pk}">Américas</option>' in html
    with translation.override("fr"):
        assert str(americas) == "Amériques"


def test_english_only_tags_and_organisations_marked_on_a_french_page(client, reference_data):
    html = client.get("/fr/directory/mechanisms/africa-eu-mmd/").content.decode()
    assert '?theme=labour-migration" lang="en">labour migration</a>' in html
    assert '<span class="d-block"><span lang="en">African Union</span>' in html
    html = client.get("/directory/mechanisms/africa-eu-mmd/").content.decode()
    assert '?theme=labour-migration">labour migration</a>' in html
