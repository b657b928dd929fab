"""The signed-in pages benchmarks/load_pages.py measures, and a session cookie for each page's user.

Run as a script with an earlier commit's code first on the path (load_pages.py --baseline), it prints them as
JSON for that commit's server: the same pages, picked by the same rule from that commit's own demo data.
"""

import json


def signed_in_pages() -> list[tuple[str, str, str]]:
    """(name, path, username): the secretariat's and IOM's dashboards and an objective editing page."""
    from django.contrib.auth import get_user_model

    from reviews.models import Review

    users = get_user_model().objects
    secretariat, editable = next(
        (user, review)
        for user in users.filter(username__startswith="secretariat.").order_by("username")
        for review in Review.objects.filter(mechanism__in=user.secretariat_mechanisms.all()).order_by("pk")
        if user.has_perm("reviews.change_review", review)
    )
    iom = users.get(username="iom.reviewer")
    return [
        ("dashboard-secretariat", "/reviews/", secretariat.username),
        ("dashboard-iom", "/reviews/iom/", iom.username),
        ("objective-edit", f"/reviews/{editable.pk}/objectives/6/", secretariat.username),
    ]


def signed_in_clients(usernames) -> dict:
    """A signed-in test client per user (its session is in the database the server reads, so it accepts it)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    clients = {}
    for username in usernames:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        clients[username] = client
    return clients


def session_cookie(client) -> str:
    """The Cookie header of a signed-in test client."""
    return "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())


if __name__ == "__main__":
    import django

    django.setup()
    pages = signed_in_pages()
    clients = signed_in_clients({user for _name, _path, user in pages})
    print(json.dumps({"pages": pages, "cookies": {user: session_cookie(client) for user, client in clients.items()}}))
