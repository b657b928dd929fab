import json
import re
import shutil

import pytest

from gcm import reference_data as gcm_reference
from gcm.models import GuidingPrinciple, Objective
from iscm_portal.reference_loading import ReferenceDataError, UpsertCounter

pytestmark = pytest.mark.django_db

OBJECTIVE_1_FR = (
    "Collecter et utiliser des données précises et ventilées qui serviront à l’élaboration de politiques "
    "fondées sur la connaissance des faits"
)
OBJECTIVE_1_ES = "Recopilar y utilizar datos exactos y desglosados para formular políticas con base empírica"


@pytest.fixture
def gcm_dir(tmp_path):
    """An editable copy of the project's GCM data files."""
    return shutil.copytree(gcm_reference.DATA_DIR, tmp_path / "gcm")


def edit_json(path, change):
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def load(data_dir=gcm_reference.DATA_DIR):
    counter = UpsertCounter()
    gcm_reference.gcm_reference_load(counter=counter, data_dir=data_dir)
    return counter


def test_gcm_reference_load_stores_french_and_spanish_titles_of_objective_1():
    load()
    objective = Objective.objects.get(number=1)
    assert (objective.title_fr, objective.title_es) == (OBJECTIVE_1_FR, OBJECTIVE_1_ES)


def test_gcm_reference_load_stores_french_and_spanish_names_of_principle_a():
    load()
    principle = GuidingPrinciple.objects.get(letter="a")
    assert (principle.name_fr, principle.name_es) == ("Priorité à la dimension humaine", "Centrada en las personas")


def test_gcm_reference_load_stores_a_missing_title_blank():
    load()
    objective = Objective.objects.get(number=15)
    assert (objective.title_fr, objective.title_es) == ("Assurer l’accès des migrants aux services de base", "")


def test_gcm_reference_load_counts_every_translation():
    load()
    assert Objective.objects.exclude(title_fr="").count() == 23
    assert Objective.objects.exclude(title_es="").count() == 20
    assert GuidingPrinciple.objects.exclude(name_fr="").exclude(name_es="").count() == 10


def test_gcm_reference_load_second_load_changes_nothing():
    load()
    counter = load()
    assert dict(counter) == {("GCM objectives", "unchanged"): 23, ("Guiding principles", "unchanged"): 10}


def test_gcm_reference_load_updates_a_changed_translation_in_place(gcm_dir):
    load()
    pk = Objective.objects.get(number=15).pk
    edit_json(gcm_dir / "gcm_objectives.json", lambda records: records[14].update(title_es="Título nuevo"))
    counter = load(gcm_dir)
    assert counter[("GCM objectives", "updated")] == 1
    assert Objective.objects.get(number=15).pk == pk
    assert Objective.objects.get(number=15).title_es == "Título nuevo"


def test_gcm_reference_load_missing_translation_key_named(gcm_dir):
    edit_json(gcm_dir / "gcm_objectives.json", lambda records: records[0].pop("title_es"))
    with pytest.raises(ReferenceDataError) as error:
        load(gcm_dir)
    assert str(error.value) == "gcm_objectives.json: record objective 1: field 'title_es': missing"


def test_gcm_reference_load_empty_translation_rejected(gcm_dir):
    edit_json(gcm_dir / "gcm_guiding_principles.json", lambda records: records[0].update(name_fr=" "))
    with pytest.raises(ReferenceDataError) as error:
        load(gcm_dir)
    assert str(error.value) == (
        "gcm_guiding_principles.json: record people-centred: field 'name_fr': expected str, got ' '"
    )


def test_gcm_sources_lists_every_missing_translation():
    """Every null in the data is named in SOURCES.md, and SOURCES.md names no other."""
    records = json.loads((gcm_reference.DATA_DIR / "gcm_objectives.json").read_text(encoding="utf-8"))
    nulls = {
        (record["number"], language)
        for record in records
        for language in ("fr", "es")
        if record[f"title_{language}"] is None
    }
    principles = json.loads((gcm_reference.DATA_DIR / "gcm_guiding_principles.json").read_text(encoding="utf-8"))
    sources = (gcm_reference.DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    listed = {
        (int(number), {"Spanish": "es", "French": "fr"}[language])
        for number, language in re.findall(r"\*\*Objective (\d+), (Spanish|French)\*\* \(`title_", sources)
    }
    assert nulls == {(15, "es"), (16, "es"), (17, "es")}
    assert listed == nulls
    assert [p for p in principles if p["name_fr"] is None or p["name_es"] is None] == []
