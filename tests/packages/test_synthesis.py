"""IOM's synthesis of a package: saving its parts, versions, marking it final, comments, and the editor page."""

import threading

import pytest
from django.db import connection

from gcm.models import Objective
from packages import synthesis
from packages.exceptions import SynthesisConflict, SynthesisError
from packages.models import SynthesisComment, SynthesisText, SynthesisVersion
from packages.selectors import synthesis_serialise
from reviews.comments import CommentInvalid
from tests.factories import ApprovedReviewContentFactory, PackageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective_6(reference_data):
    return Objective.objects.get(number=6)


@pytest.fixture
def colleague(db):
    return UserFactory(username="iom-colleague", is_iom_staff=True)


def _save(package, objective, text, revision, by):
    return synthesis.synthesis_text_save(
        package=package, objective=objective, text=text, loaded_revision=revision, by=by
    )


def test_synthesis_saves_by_one_person_make_one_version_holding_what_is_stored(
    package, objective_6, iom_user, colleague
):
    summary = _save(package, None, "Regions *converge* on labour mobility.", 0, iom_user)
    _save(package, objective_6, "Fair recruitment is a priority in four regions.", 0, iom_user)
    _save(package, None, "Regions converge on labour mobility and skills.", summary.revision, iom_user)
    assert list(SynthesisVersion.objects.filter(package=package).values_list("number", "created_by")) == [
        (1, iom_user.pk)
    ]
    _save(package, objective_6, "Fair recruitment, in five regions.", 1, colleague)
    versions = list(SynthesisVersion.objects.filter(package=package).order_by("number"))
    assert [(v.number, v.created_by_id) for v in versions] == [(1, iom_user.pk), (2, colleague.pk)]
    assert (
        versions[-1].content
        == synthesis_serialise(package.pk)
        == {
            "summary": "Regions converge on labour mobility and skills.",
            "objectives": {"6": "Fair recruitment, in five regions."},
        }
    )
    assert SynthesisText.objects.get(package=package, objective=objective_6).revision == 2


def test_synthesis_save_from_a_stale_form_is_refused_and_writes_nothing(package, objective_6, iom_user, colleague):
    _save(package, objective_6, "First text.", 0, iom_user)
    with pytest.raises(SynthesisConflict) as refused:
        _save(package, objective_6, "Written over an old page.", 0, colleague)
    assert refused.value.current_revision == 1
    assert SynthesisText.objects.get(package=package, objective=objective_6).text == "First text."
    assert SynthesisVersion.objects.filter(package=package).count() == 1


def test_synthesis_too_long_is_refused_with_its_length(package, iom_user):
    with pytest.raises(SynthesisError) as refused:
        _save(package, None, "x" * (synthesis.MAX_SYNTHESIS_LENGTH + 1), 0, iom_user)
    assert str(refused.value) == "Keep this text under 200,000 characters (it has 200,001)."
    assert not SynthesisText.objects.exists()


def test_marking_final_needs_the_summary_then_seals_and_freezes_until_marked_draft(
    package, objective_6, iom_user, colleague
):
    _save(package, objective_6, "Objective text.", 0, iom_user)
    with pytest.raises(SynthesisError, match="Write the executive summary before"):
        synthesis.synthesis_mark_final(package=package, by=iom_user)
    _save(package, None, "Summary.", 0, iom_user)
    synthesis.synthesis_mark_final(package=package, by=colleague)
    package.refresh_from_db()
    assert package.synthesis_final_by == colleague
    assert list(SynthesisVersion.objects.values_list("number", "sealed")) == [(1, True)]
    with pytest.raises(SynthesisError, match="marked final"):
        _save(package, None, "A late change.", 1, iom_user)
    synthesis.synthesis_mark_draft(package=package, by=iom_user)
    _save(package, None, "A late change.", 1, iom_user)
    # The sealed version keeps the text that was final; the change starts a new one.
    assert list(SynthesisVersion.objects.order_by("number").values_list("number", "sealed", "content__summary")) == [
        (1, True, "Summary."),
        (2, False, "A late change."),
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_two_parts_each_get_a_version_and_the_latest_holds_both(
    package, objective_6, iom_user, colleague
):
    """Two people save different parts at the same moment: the package lock orders them, no number is taken
    twice and the last version holds both texts."""
    barrier = threading.Barrier(2)
    errors = []

    def save(objective, text, by):
        try:
            barrier.wait(timeout=10)
            _save(package, objective, text, 0, by)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(None, "Summary by one.", iom_user)),
        threading.Thread(target=save, args=(objective_6, "Objective 6 by the other.", colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    versions = list(SynthesisVersion.objects.filter(package=package).order_by("number"))
    assert [version.number for version in versions] == [1, 2]
    assert versions[-1].content == {"summary": "Summary by one.", "objectives": {"6": "Objective 6 by the other."}}


def test_synthesis_comments_open_reply_and_resolve(package, iom_user, colleague):
    thread = synthesis.synthesis_comment_add(package=package, part="objective:6", body=" Too long? ", by=iom_user)
    reply = synthesis.synthesis_comment_reply(parent=thread, body="Shortened.", by=colleague)
    synthesis.synthesis_comment_resolve(comment=thread, by=iom_user)
    thread.refresh_from_db()
    assert (thread.part, thread.body, reply.part, reply.parent_id) == (
        "objective:6",
        "Too long?",
        "objective:6",
        thread.pk,
    )
    assert thread.resolved_by == iom_user
    with pytest.raises(SynthesisError):
        synthesis.synthesis_comment_resolve(comment=reply, by=iom_user)
    with pytest.raises(CommentInvalid):
        synthesis.synthesis_comment_add(package=package, part="summary", body="   ", by=iom_user)
    with pytest.raises(SynthesisError):
        synthesis.synthesis_comment_add(package=package, part="objective:24", body="No such part", by=iom_user)


def test_synthesis_comments_are_refused_to_a_secretariat(package, bali):
    secretariat = UserFactory(username="bali-sec", secretariat_mechanisms=[bali])
    with pytest.raises(SynthesisError):
        synthesis.synthesis_comment_add(package=package, part="summary", body="Hello", by=secretariat)
    assert not SynthesisComment.objects.exists()


# ---------------------------------------------------------------------------------------------------------------
# Pages


def test_editor_shows_every_mechanisms_text_on_the_objective_beside_the_form(
    client, package, approved_reviews, iom_user
):
    client.force_login(iom_user)
    response = client.get(f"/packages/{package.pk}/synthesis/objectives/2/")
    assert response.status_code == 200
    entries = response.context["mechanisms"]
    assert [(e["review"].mechanism.acronym, e["report"] is not None) for e in entries] == [
        ("Bali Process", True),
        ("MIDWA", True),
        ("Rabat Process", False),
    ]
    html = response.content.decode()
    progress = entries[0]["report"].progress.split("\n")[0][:40]
    assert progress in html
    assert html.count('data-mechanism="') == 3
    assert "Did not report on this objective." in html


def test_autosave_answers_with_the_saved_status_and_the_new_revision(client, package, iom_user):
    client.force_login(iom_user)
    url = f"/packages/{package.pk}/synthesis/objectives/6/"
    response = client.post(url, {"text": "Fair recruitment.", "revision": "0"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "autosave-saved" in html
    assert '<input type="hidden" name="revision" value="1" id="id_revision" hx-swap-oob="true">' in html
    stale = client.post(url, {"text": "Over it.", "revision": "0"}, HTTP_HX_REQUEST="true")
    assert "autosave-conflict" in stale.content.decode()
    assert SynthesisText.objects.get().text == "Fair recruitment."


def test_save_from_a_stale_page_shows_both_texts_and_keeps_mine(client, package, objective_6, iom_user, colleague):
    _save(package, objective_6, "Theirs.", 0, colleague)
    client.force_login(iom_user)
    response = client.post(f"/packages/{package.pk}/synthesis/objectives/6/", {"text": "Mine.", "revision": "0"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Theirs." in html and "\nMine.</textarea>" in html
    assert response.context["form"]["revision"].value() == "1"


def test_too_long_text_comes_back_with_a_message_and_the_text(client, package, iom_user):
    client.force_login(iom_user)
    text = "y" * (synthesis.MAX_SYNTHESIS_LENGTH + 5)
    response = client.post(f"/packages/{package.pk}/synthesis/", {"text": text, "revision": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [
        "Ensure this value has at most 200000 characters (it has 200005)."
    ]
    assert text in response.content.decode()
    assert not SynthesisText.objects.exists()


def test_edits_of_a_final_synthesis_are_refused_with_the_way_back(client, package, iom_user):
    _save(package, None, "Summary.", 0, iom_user)
    client.force_login(iom_user)
    client.post(f"/packages/{package.pk}/synthesis/final/", {"final": "1"})
    page = client.get(f"/packages/{package.pk}/synthesis/")
    assert 'data-testid="synthesis-final-notice"' in page.content.decode()
    assert 'id="step-form"' not in page.content.decode()
    response = client.post(
        f"/packages/{package.pk}/synthesis/", {"text": "Late", "revision": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "The synthesis is marked final. Mark it as a draft again on the package page to change it." in (
        response.content.decode()
    )
    client.post(f"/packages/{package.pk}/synthesis/final/", {"final": "0"})
    client.post(f"/packages/{package.pk}/synthesis/", {"text": "Late", "revision": "1"})
    assert SynthesisText.objects.get().text == "Late"


def test_empty_comment_keeps_the_editor_and_says_why(client, package, iom_user):
    client.force_login(iom_user)
    response = client.post(f"/packages/{package.pk}/synthesis/comments/", {"part": "objective:6", "body": " "})
    assert response.status_code == 400
    assert response.context["number"] == 6
    assert "Write the comment." in response.content.decode()


def test_history_lists_who_saved_which_parts(client, package, objective_6, iom_user, colleague):
    _save(package, None, "Summary.", 0, iom_user)
    _save(package, objective_6, "Six.", 0, colleague)
    client.force_login(iom_user)
    rows = client.get(f"/packages/{package.pk}/synthesis/history/").context["rows"]
    assert [(row["version"].number, row["version"].created_by, row["changed"]) for row in rows] == [
        (2, colleague, ["Objective 6"]),
        (1, iom_user, ["Executive summary"]),
    ]
    version = client.get(f"/packages/{package.pk}/synthesis/history/1/")
    assert (version.context["summary"], version.context["parts"]) == ("Summary.", [])


@pytest.mark.parametrize("size", [1, 10])
def test_editor_query_count(client, reference_data, cycle, iom_user, django_assert_num_queries, size):
    from mechanisms.models import Mechanism

    for index, mechanism in enumerate(Mechanism.objects.order_by("acronym")[:size]):
        ApprovedReviewContentFactory(mechanism=mechanism, cycle=cycle, objectives=(6,), words=10, seed=index)
    package = PackageFactory(cycle=cycle, created_by=iom_user)
    _save(package, Objective.objects.get(number=6), "Six.", 0, iom_user)
    synthesis.synthesis_comment_add(package=package, part="objective:6", body="Why?", by=iom_user)
    client.force_login(iom_user)
    # package (+ its regions and mechanisms), session, user, the objective, texts, reported counts, objectives,
    # reviews, their reports on the objective, comments, replies
    with django_assert_num_queries(13):
        response = client.get(f"/packages/{package.pk}/synthesis/objectives/6/")
    assert len(response.context["mechanisms"]) == size
