"""A focal point makes an API token on its account page, posts a progress update with it over HTTP (as curl
would), and reads the update on the pledge page."""

import json
import urllib.error
import urllib.request

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PledgeFactory


def test_focal_point_posts_a_progress_update_with_a_token_made_on_the_account_page(
    page, login, live_server, indonesia_focal_point
):
    pledge = PledgeFactory(title="Ethical recruitment for all", objectives=[6])
    login(indonesia_focal_point.username)

    page.get_by_role("button", name=indonesia_focal_point.get_full_name()).click()
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Progress script")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_test_id("new-token")).to_be_visible()
    secret = page.get_by_label("Token", exact=True).input_value()
    expect(page.get_by_test_id("token")).to_have_count(1)
    expect(page.get_by_test_id("token")).to_contain_text("Read and write")

    today = timezone.localdate()
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/pledges/{pledge.pk}/updates/",
        data=json.dumps(
            {"date": today.isoformat(), "status": "in_progress", "text": "Bill tabled in parliament."}
        ).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        answer = (response.status, json.load(response)["text"])
    assert answer == (201, "Bill tabled in parliament.")

    page.goto(pledge.get_absolute_url())
    updates = page.get_by_test_id("progress-updates")
    expect(updates).to_contain_text("Bill tabled in parliament.")
    expect(updates).to_contain_text(indonesia_focal_point.get_full_name())
    expect(page.locator(".pledge-status").first).to_have_text("In progress")

    # The token page now says when the token was last used; revoking it closes the API to it.
    page.goto("/accounts/tokens/")
    expect(page.get_by_test_id("token")).not_to_contain_text("never")
    page.get_by_role("button", name="Revoke Progress script").click()
    expect(page.get_by_test_id("token")).to_contain_text("Revoked")
    try:
        urllib.request.urlopen(
            urllib.request.Request(
                f"{live_server.url}/api/v1/pledges/{pledge.pk}/", headers={"Authorization": f"Bearer {secret}"}
            )
        )
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 401
