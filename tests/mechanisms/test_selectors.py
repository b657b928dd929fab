import pytest
from django.http import QueryDict

from mechanisms import selectors
from mechanisms.enums import MembershipRole
from mechanisms.models import Mechanism, Membership, Region, State
from tests.reference_regions import WESTERN_AFRICA

pytestmark = pytest.mark.django_db


def directory_acronyms(query: str) -> list[str]:
    return [m.acronym for m in selectors.mechanism_filter(QueryDict(query)).qs]


def test_directory_filter_by_state_gives_exactly_its_mechanisms_for_every_state(reference_data):
    expected = {}
    for iso3, acronym in Membership.objects.current().values_list("state__iso3", "mechanism__acronym"):
        expected.setdefault(iso3, set()).add(acronym)
    for state in State.objects.all():
        acronyms = directory_acronyms(f"state={state.iso3}")
        assert sorted(acronyms) == sorted(expected.get(state.iso3, set())), state.iso3
        assert len(acronyms) == len(set(acronyms))


def test_directory_filter_by_state_indonesia(reference_data):
    assert directory_acronyms("state=idn") == ["ADD", "Bali Process", "Colombo Process"]


def test_directory_filter_kind_and_counts_stay_right(reference_data):
    mechanisms = list(selectors.mechanism_filter(QueryDict("kind=RCP&state=GHA")).qs)
    assert [(m.acronym, m.member_count, m.observer_count) for m in mechanisms] == [("MIDWA", 15, 2)]


def test_directory_filter_region_includes_sub_regions(reference_data):
    africa = Region.objects.get(name="Africa")
    acronyms = directory_acronyms(f"region={africa.pk}")
    assert "MIDWA" in acronyms
    assert "Bali Process" not in acronyms
    western_africa = Region.objects.get(name="Western Africa")
    assert directory_acronyms(f"region={western_africa.pk}") == WESTERN_AFRICA


def test_directory_text_search_matches_acronym_and_secretariat(reference_data):
    assert directory_acronyms("q=midwa") == ["MIDWA"]
    assert directory_acronyms("q=ICMPD") == [
        "Budapest Process",
        "Khartoum Process",
        "MMD",
        "MTM",
        "Prague Process",
        "Rabat Process",
    ]


def test_directory_sort_by_most_members(reference_data):
    assert directory_acronyms("sort=-member_count")[:2] == ["ACP-EU MD", "MMD"]


def test_directory_unknown_filter_values_are_ignored_or_empty(reference_data):
    assert len(directory_acronyms("kind=NOPE&sort=bogus")) == 32
    assert directory_acronyms("region=abc") == []
    assert directory_acronyms("state=ZZZ") == []


def test_directory_facets_count_per_value(reference_data):
    facets = selectors.directory_facets(QueryDict("state=GHA"))
    assert [(f.value, f.count) for f in facets["kind"]] == [("RCP", 1), ("IRF", 5), ("GLOBAL", 0)]
    assert [(f.value, f.count) for f in facets["gcm"]] == [("mandated", 0), ("not_mandated", 0), ("unknown", 6)]
    # The State facet ignores its own choice, so other States stay selectable with their full counts.
    state_counts = {f.value: f.count for f in facets["state"]}
    assert state_counts["GHA"] == 6
    assert state_counts["IDN"] == 3


def test_directory_region_facet_counts_distinct_mechanisms(reference_data):
    facets = selectors.directory_facets(QueryDict(""))
    counts = {f.label: f.count for f in facets["region"]}
    assert counts["World"] == 2
    assert counts["Africa"] == len(directory_acronyms(f"region={Region.objects.get(name='Africa').pk}"))


def test_mechanisms_sharing_members_ranked_by_shared_states(midwa):
    related = list(selectors.mechanisms_sharing_members(midwa))
    assert [(m.acronym, m.shared) for m in related] == [
        ("ACP-EU MD", 15),
        ("MMD", 15),
        ("PAFOM", 15),
        ("Rabat Process", 15),
        ("MTM", 6),
    ]


def test_mechanisms_sharing_themes_excludes_itself(midwa):
    related = list(selectors.mechanisms_sharing_themes(midwa))
    assert related[0].acronym == "IGAD-RCP"
    assert midwa not in related


def test_overview_matrix_marks_roles(reference_data):
    africa = Region.objects.get(name="Africa")
    overview = selectors.overview(africa.pk)
    acronyms = [m.acronym for m in overview.mechanisms]
    ghana = next(row for row in overview.rows if row.state.iso3 == "GHA")
    assert ghana.cells[acronyms.index("MIDWA")] == MembershipRole.MEMBER
    assert ghana.count == 6
    assert len(overview.rows) == State.objects.filter(region=africa).count()


def test_mechanism_history_names_changes(midwa, iom_user):
    midwa.gcm_focal_point = "Ms A. Diallo"
    midwa._history_user = iom_user
    midwa.save()
    entries = selectors.mechanism_history(midwa)
    assert (entries[0].who, entries[0].subject, entries[0].changes) == (
        iom_user,
        "profile",
        [("GCM focal point", "—", "Ms A. Diallo")],
    )
    assert Mechanism.objects.get(pk=midwa.pk).gcm_focal_point == "Ms A. Diallo"


# --- membership map -------------------------------------------------------------------------------------------


def test_directory_map_gives_the_states_of_the_filtered_mechanisms_with_their_roles(reference_data):
    expected = {}
    for state_id, mechanism_id, role in (
        Membership.objects.current()
        .filter(mechanism__in=selectors.mechanism_filter(QueryDict("state=IDN")).qs)
        .values_list("state_id", "mechanism_id", "role")
    ):
        expected.setdefault(state_id, []).append(role)
    entries = selectors.directory_map(QueryDict("state=IDN"))
    states = {state.m49_code: state for state in State.objects.filter(pk__in=expected)}
    assert sorted(entry.m49 for entry in entries) == sorted(states)
    for entry in entries:
        roles = expected[states[entry.m49].pk]
        assert entry.role == ("member" if "member" in roles else "observer")
        assert entry.url == f"/directory/states/{states[entry.m49].iso3}/"
    indonesia = next(entry for entry in entries if entry.m49 == "360")
    assert (indonesia.role, indonesia.label) == ("member", "Indonesia: Member of 3 mechanisms shown")


def test_directory_map_is_empty_when_no_mechanism_matches(reference_data):
    assert selectors.directory_map(QueryDict("q=" + "x" * 30)) == []


def test_state_map_counts_the_mechanisms_of_the_state(reference_data):
    state = State.objects.get(iso3="IDN")
    current = list(Membership.objects.current().filter(state=state))
    (entry,) = selectors.state_map(state, current)
    assert (entry.m49, entry.role, entry.roles) == ("360", "member", "Member of 3 mechanisms")
