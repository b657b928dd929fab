"""Dates and figures on pages follow the page's language: "1 décembre 2026", "1 de diciembre de 2026", "1 001"."""

import datetime
import re

import pytest
from django.utils import translation

from mechanisms.models import State
from pledges.enums import ImrfEdition, PledgerType, PledgeScope, PledgeStatus
from pledges.models import Pledge
from reviews.forms import ReviewCycleForm
from tests.factories import PledgeFactory

pytestmark = pytest.mark.django_db
DECEMBER_1 = datetime.date(2026, 12, 1)


def _text(response) -> str:
    """The page's visible text in one line, tags removed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))  # keeps no-break spaces, unlike split()


@pytest.mark.parametrize(
    ("prefix", "long_date"),
    [("", "1 December 2026"), ("/fr", "1 décembre 2026"), ("/es", "1 de diciembre de 2026")],
)
def test_pledge_page_writes_dates_in_its_language(client, reference_data, prefix, long_date):
    pledge = PledgeFactory(announced_on=DECEMBER_1, imrf_edition=ImrfEdition.IMRF_2026)
    text = _text(client.get(f"{prefix}/pledges/{pledge.pk}/"))
    assert f"2026, {long_date}" in text  # the IMRF edition, then the day it was announced
    assert text.count(long_date) == 2  # announced, and last activity (no update yet)


@pytest.mark.parametrize(
    ("prefix", "count", "short_date"),
    [
        ("", "1,001 pledges", "1 Dec 2026"),
        ("/fr", "1\xa0001 engagements", "1 déc. 2026"),
        ("/es", "1\xa0001 compromisos", "1 dic. 2026"),
    ],
)
def test_pledge_list_writes_figures_and_dates_in_its_language(client, reference_data, prefix, count, short_date):
    indonesia = State.objects.get(iso3="IDN")
    Pledge.objects.bulk_create(
        Pledge(
            pledger_type=PledgerType.STATE,
            pledger_state=indonesia,
            title=f"Pledge {n}",
            text="We commit to act.",
            imrf_edition=ImrfEdition.IMRF_2026,
            announced_on=DECEMBER_1,
            scope=PledgeScope.NATIONAL,
            status=PledgeStatus.ANNOUNCED,
        )
        for n in range(1001)
    )
    response = client.get(f"{prefix}/pledges/")
    text = _text(response)
    assert count in text
    assert text.count(short_date) == 25  # one per pledge on the first page


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_date_fields_keep_iso_values_that_the_browsers_date_picker_reads(language):
    with translation.override(language):
        html = str(ReviewCycleForm(initial={"due_on": DECEMBER_1})["due_on"])
    assert 'type="date"' in html
    assert 'value="2026-12-01"' in html
