"""`seed_demo` as `make run` runs it: through the services, committed step by step, and repeatable."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_ACCOUNTS
from library.models import Practice, ReviewDocument
from library.selectors import visible_practices
from library.services import stale_review_ids
from packages.models import Package
from pledges.models import Pledge, PledgeUpdate
from reviews.enums import ReviewStatus as S
from reviews.models import Comment, Review, ReviewCycle, ReviewTransition, ReviewVersion
from reviews.workflow_selectors import iom_dashboard_rows
from tests.factories import review_in_status

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = (Review, ReviewVersion, ReviewTransition, Comment, Pledge, PledgeUpdate, Practice, ReviewDocument, Package)


def _state():
    return {model.__name__: list(model.objects.order_by("pk").values_list("pk", flat=True)) for model in MODELS}


@pytest.fixture
def seeded(settings, reference_data, bali, bali_secretariat):
    """The demo seeded over a developer's own submitted review (not a demo one)."""
    settings.DEBUG = True
    own = review_in_status(S.SUBMITTED, mechanism=bali, secretariat=bali_secretariat, iom=None)
    mail.outbox.clear()
    call_command("seed_demo", password="demo-pw")
    return own


def test_seed_demo_leaves_other_reviews_alone_and_indexes_through_the_library_hook(seeded):
    seeded.refresh_from_db()
    assert (seeded.status, seeded.comments.count(), seeded.transitions.count()) == (S.SUBMITTED, 0, 1)
    approved = set(Review.objects.filter(status=S.APPROVED).values_list("pk", flat=True))
    assert len(approved) == 8
    assert set(visible_practices(AnonymousUser()).values_list("review_id", flat=True)) == approved
    # Every review, whatever its status, was indexed once its content was committed: nothing is left stale.
    assert stale_review_ids() == []


def test_seed_demo_sends_the_workflow_emails_once_and_a_second_run_changes_nothing(seeded, capsys):
    assert Counter(message.subject.split(" (")[0] for message in mail.outbox) == {
        "Bali Process submitted its regional review": 1,
        "RCM submitted its regional review": 1,
        "Changes requested on your regional review": 2,
        "Rabat Process submitted its regional review": 1,
        "Rabat Process resubmitted its regional review": 1,
        # Eight reviews; the Bali Process has two secretariat accounts; MIDWA's works in French, the SACM's in
        # Spanish.
        "Your regional review is approved": 7,
        "Votre examen régional est approuvé": 1,
        "Su examen regional ha sido aprobado": 1,
        "MIDWA submitted its regional review": 1,
        "ADD submitted its regional review": 1,
        "Colombo Process submitted its regional review": 1,
        "IGAD-RCP submitted its regional review": 1,
        "Khartoum Process submitted its regional review": 1,
        "Prague Process submitted its regional review": 1,
        "SACM submitted its regional review": 1,
    }
    mail.outbox.clear()
    capsys.readouterr()
    before = _state()
    call_command("seed_demo", password="demo-pw")
    assert (_state(), mail.outbox) == (before, [])
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    # Progress on stderr, a short line a step.
    assert captured.err.splitlines() == [
        "Demo: accounts…",
        "Demo: reviews…",
        "Demo: pledges…",
        "Demo: packages…",
        "Demo: library…",
        "Demo: summary…",
    ]
    # What was made, what the dashboards show first, then the logins last, with the address the portal is
    # served on.
    current, previous = ReviewCycle.objects.filter(demo_role__in=["current", "previous"]).order_by("-review_year")
    today = timezone.localdate()
    logins = out.index("Demo logins (password: demo-pw, site: http://127.0.0.1:8000):")
    assert out[out.index("Demo data ready:") + 1 : logins] == [
        "  170 demo pledges (211 progress updates)",
        f"  IMRF packages: 6 approved reviews in {current.name}, a package ready to compile",
        f"  (practice library: {Practice.objects.count()} entries indexed)",
        f"  {current.name}: due {current.due_on.isoformat()}, in {(current.due_on - today).days} days. "
        "The IOM dashboard shows:",
        "    waiting on IOM (2): Bali Process (submitted), Khartoum Process (submitted)",
        "    waiting on secretariats (24): MIDWA (draft), RCM (changes requested), 22 not started",
        "    approved (6): ADD, Colombo Process, IGAD-RCP, Prague Process, Rabat Process, SACM",
        f"  {previous.name}: closed {previous.due_on.isoformat()}; approved: Bali Process, MIDWA",
        "  Waiting on each secretariat login (its dashboard's “What waits on you”):",
        "    secretariat.africa   0",
        "    secretariat.asia     0",
        "    secretariat.bali     0",
        "    secretariat.igad     0",
        "    secretariat.midwa    1: MIDWA (draft)",
        "    secretariat.prague   0",
        "    secretariat.rcm      1: RCM (changes requested)",
        "    secretariat.sacm     0",
    ]
    # The same counts as the IOM dashboard shows.
    rows = iom_dashboard_rows(cycle=current, today=today)
    assert sum(1 for row in rows if row.waiting_on_iom) == 2
    assert [line.split()[0] for line in out[logins + 1 :]] == [account.username for account in DEMO_ACCOUNTS]


def test_seed_demo_writes_its_emails_to_files_instead_of_the_terminal(
    settings, reference_data, tmp_path, capsys, mailoutbox
):
    settings.DEBUG = True
    settings.DEMO_MAIL_DIR = str(tmp_path / "sent-mail")
    call_command("seed_demo", password="demo-pw")
    files = sorted((tmp_path / "sent-mail").iterdir())
    out = capsys.readouterr().out
    assert mailoutbox == []
    assert f"  E-mails the demo sent: {len(files)} new, written to {tmp_path / 'sent-mail'}/\n" in out
    # Long headers are folded onto a second line starting with a space.
    written = "".join(path.read_text() for path in files).replace("\n ", " ")
    assert written.count("Subject: Changes requested on your regional review") == 2
    assert "Subject: Khartoum Process submitted its regional review" in written
    assert "Subject:" not in out


def test_seed_demo_looks_like_today(seeded):
    """The dashboards' current cycle is due in a few weeks, so nothing in it is overdue; the previous one closed
    with every demo review approved."""
    today = timezone.localdate()
    current, previous = ReviewCycle.objects.order_by("-review_year")
    assert today < current.due_on <= today + datetime.timedelta(weeks=6)
    assert current.opens_on < today
    rows = iom_dashboard_rows(cycle=current, today=today)
    assert [row.mechanism.acronym for row in rows if row.days_overdue] == []
    assert {row.status for row in rows if row.review} >= {S.DRAFT, S.CHANGES_REQUESTED, S.APPROVED}
    assert previous.due_on < today
    assert set(previous.reviews.values_list("status", flat=True)) == {S.APPROVED}
