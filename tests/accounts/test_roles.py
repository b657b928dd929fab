import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from mechanisms.models import State
from tests.factories import UserFactory


@pytest.mark.django_db
def test_landing_sends_focal_point_to_their_state(client, indonesia_focal_point):
    client.force_login(indonesia_focal_point)
    response = client.get("/accounts/landing/")
    assert response.status_code == 302
    assert response.url == "/directory/states/IDN/"


@pytest.mark.django_db
def test_landing_sends_secretariat_to_their_reviews(client, bali_secretariat):
    client.force_login(bali_secretariat)
    assert client.get("/accounts/landing/").url == "/reviews/"


@pytest.mark.django_db
def test_landing_sends_iom_staff_to_dashboard(client, iom_user):
    client.force_login(iom_user)
    assert client.get("/accounts/landing/").url == "/reviews/iom/"


@pytest.mark.django_db
def test_login_form_lands_focal_point_on_state_page(client, indonesia_focal_point):
    response = client.post("/accounts/login/", {"username": "idn-focal", "password": "pass-for-tests"}, follow=True)
    assert response.redirect_chain[-1] == ("/directory/states/IDN/", 302)


@pytest.mark.django_db
def test_secretariat_may_change_only_own_mechanism(bali_secretariat, bali, midwa):
    assert bali_secretariat.has_perm("mechanisms.change_mechanism", bali) is True
    assert bali_secretariat.has_perm("mechanisms.change_mechanism", midwa) is False


@pytest.mark.django_db
def test_iom_dashboard_permission_by_role(iom_user, admin_user, bali_secretariat, indonesia_focal_point):
    assert iom_user.has_perm("accounts.view_iom_dashboard") is True
    assert admin_user.has_perm("accounts.view_iom_dashboard") is True
    assert bali_secretariat.has_perm("accounts.view_iom_dashboard") is False
    assert indonesia_focal_point.has_perm("accounts.view_iom_dashboard") is False


@pytest.mark.django_db
def test_iom_dashboard_refuses_secretariat(client, bali_secretariat):
    client.force_login(bali_secretariat)
    assert client.get("/reviews/iom/").status_code == 403


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings, reference_data):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing to run with DEBUG off"):
        call_command("seed_demo")
    assert User.objects.filter(is_demo=True).count() == 0


@pytest.mark.django_db
def test_seed_demo_creates_every_role_and_is_repeatable(settings, reference_data, capsys):
    settings.DEBUG = True
    call_command("seed_demo", password="chosen-demo-pw")
    call_command("seed_demo", password="chosen-demo-pw")
    demo = User.objects.filter(is_demo=True)
    assert demo.filter(is_superuser=True).count() == 1
    assert demo.filter(is_iom_staff=True).count() == 1
    assert demo.get(username="focal.ghana").focal_point_state == State.objects.get(iso3="GHA")
    assert sorted(demo.get(username="secretariat.africa").secretariat_mechanisms.values_list("slug", flat=True)) == [
        "khartoum-process",
        "rabat-process",
    ]
    assert demo.get(username="secretariat.bali").check_password("chosen-demo-pw")
    assert "secretariat.bali" in capsys.readouterr().out


@pytest.mark.django_db
def test_inactive_user_has_no_role():
    user = UserFactory(username="gone", is_iom_staff=True, is_active=False)
    assert user.has_perm("accounts.view_iom_dashboard") is False
