import pytest

from mechanisms.models import Membership, State
from reviews.forms import MeetingFormSet, OverviewForm, meetings_from_formset
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_overview_states_are_current_members_and_observers_with_stance(bali):
    form = OverviewForm(instance=ReviewFactory(mechanism=bali), mechanism=bali, initial={"revision": 1})
    field = form.fields["participating_states"]
    expected = set(Membership.objects.current().filter(mechanism=bali).values_list("state__iso3", flat=True))
    assert set(field.queryset.values_list("iso3", flat=True)) == expected
    indonesia = field.queryset.get(iso3="IDN")
    assert field.label_from_instance(indonesia) == "Indonesia (Member · GCM 2018: In favour or not voting)"


def test_overview_refuses_state_outside_mechanism(bali):
    outsider = State.objects.get(iso3="GHA")
    review = ReviewFactory(mechanism=bali)
    form = OverviewForm(
        {"language": "fr", "participating_states": [outsider.pk], "revision": "1"}, instance=review, mechanism=bali
    )
    assert form.errors == {
        "participating_states": [f"Select a valid choice. {outsider.pk} is not one of the available choices."]
    }


def test_overview_refuses_unknown_language(bali):
    form = OverviewForm({"language": "xx", "revision": "1"}, instance=ReviewFactory(mechanism=bali), mechanism=bali)
    assert form.errors == {"language": ["Select a valid choice. xx is not one of the available choices."]}


def test_meeting_rows_need_title_and_date_and_blank_rows_are_ignored():
    data = {
        "meetings-TOTAL_FORMS": "3",
        "meetings-INITIAL_FORMS": "0",
        "meetings-0-title": "Ministerial",
        "meetings-0-held_on": "2024-06-02",
        "meetings-0-place": "Rabat",
        "meetings-1-title": "",
        "meetings-1-held_on": "2024-06-03",
        "meetings-1-place": "",
        "meetings-2-title": "",
        "meetings-2-held_on": "",
        "meetings-2-place": "",
    }
    formset = MeetingFormSet(data, prefix="meetings")
    assert formset.errors == [{}, {"title": ["Name this meeting."]}, {}]
    data["meetings-1-held_on"] = ""
    formset = MeetingFormSet(data, prefix="meetings")
    assert formset.is_valid()
    assert [m["title"] for m in meetings_from_formset(formset)] == ["Ministerial"]
