import pytest

from accounts.demo import demo_users_create
from packages.demo import demo_packages_create
from packages.models import Package
from reviews.enums import ReviewStatus
from reviews.models import Review


@pytest.mark.django_db
def test_demo_packages_create_is_idempotent(reference_data):
    demo_users_create(password="demo-pass-123")
    first = demo_packages_create(password="demo-pass-123")
    second = demo_packages_create(password="demo-pass-123")
    assert first == [
        "  IMRF packages: 8 approved reviews in 2024 regional reviews, a package ready to compile "
        "(new demo reviews: ADD, Colombo Process, IGAD-RCP, Khartoum Process, MIDWA, Prague Process, "
        "Rabat Process, SACM)"
    ]
    assert second == ["  IMRF packages: 8 approved reviews in 2024 regional reviews, a package ready to compile"]
    assert Review.objects.filter(status=ReviewStatus.APPROVED).count() == 8
    assert list(Package.objects.values_list("title", "created_by__username")) == [
        ("Regional reviews 2024: input to the IMRF 2026", "iom.reviewer")
    ]
