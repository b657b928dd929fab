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


# The objective editor writes its fields in Python (reviews/templatetags/review_forms.py, through
# reviews/review/_objective_fields.html) instead of rendering them through crispy-forms' templates: the markup
# must stay what crispy renders from the form's layout, and every value escaped.


def _objective_fields_both_ways(form):
    from django.template import Context, Template
    from django.template.loader import render_to_string

    ours = render_to_string("reviews/review/_objective_fields.html", {"form": form})
    # Crispy second: it adds its classes to the form's widgets as it renders them.
    return ours, Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_objective_fields_render_as_crispy_for_a_saved_report(bali, language):
    from pytest_django.asserts import assertHTMLEqual

    from gcm.models import GuidingPrinciple
    from reviews.forms import ObjectiveReportForm
    from reviews.selectors import objective_report_for_edit
    from tests.factories import complete_review_create

    review = complete_review_create(mechanism=bali, objectives=[6])
    review.language = language
    review.save(update_fields=["language"])
    report = review.objective_reports.get()
    report.is_regional_priority, report.good_practices = True, "- <b>Guichets</b> d'information\n\nSecond"
    report.save()
    report.guiding_principles.set(GuidingPrinciple.objects.order_by("pk")[:2])
    # As the editor builds it: the principles' ids from the report's query, their names from the reference data.
    report = objective_report_for_edit(review, report.objective)
    assert sorted(report.principle_ids) == list(
        GuidingPrinciple.objects.order_by("pk").values_list("pk", flat=True)[:2]
    )
    initial = {"revision": report.revision, "guiding_principles": report.principle_ids}
    ours, crispy = _objective_fields_both_ways(ObjectiveReportForm(instance=report, initial=initial))
    assertHTMLEqual(ours, crispy)
    assert ours.count(" checked") == 3
    assert "&lt;b&gt;Guichets&lt;/b&gt; d&#x27;information" in ours and "<b>" not in ours
    assert f'lang="{language}"' in ours and ('dir="rtl"' in ours) == (language == "ar")


def test_objective_fields_render_as_crispy_with_errors(bali):
    from pytest_django.asserts import assertHTMLEqual

    from reviews.forms import ObjectiveReportForm
    from reviews.models import ObjectiveReport
    from tests.factories import complete_review_create

    review = complete_review_create(mechanism=bali, objectives=[])
    form = ObjectiveReportForm(
        {"progress": "Done", "guiding_principles": ["999"], "revision": "0"},
        instance=ObjectiveReport(review=review, objective_id=1),
    )
    assert not form.is_valid()
    form.add_error("progress", "Too vague.")
    form.add_error("is_regional_priority", "Say whether it is a priority.")
    form.add_error(None, "Something else.")
    ours, crispy = _objective_fields_both_ways(form)
    assertHTMLEqual(ours, crispy)
    assert ours.count("is-invalid") == 12  # the priority box, progress and the 10 principles


def test_objective_form_validated_without_being_drawn_reads_no_principles(bali):
    """An autosave only validates: the principles to choose from are read when the form is drawn, once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.forms import ObjectiveReportForm
    from reviews.models import ObjectiveReport
    from tests.factories import complete_review_create

    review = complete_review_create(mechanism=bali, objectives=[])
    instance = ObjectiveReport(review=review, objective_id=1)
    with CaptureQueriesContext(connection) as queries:
        form = ObjectiveReportForm({"progress": "Done", "revision": "0"}, instance=instance)
        assert form.is_valid(), form.errors
    assert not [query for query in queries.captured_queries if "gcm_guidingprinciple" in query["sql"]]
    with CaptureQueriesContext(connection) as queries:
        drawn = str(form["guiding_principles"])
    assert drawn.count('type="checkbox"') == 10
    assert len([query for query in queries.captured_queries if "gcm_guidingprinciple" in query["sql"]]) == 1
