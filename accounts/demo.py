"""Demo accounts for every role, for local use only."""

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password

from mechanisms.models import Mechanism, State

from .models import User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    is_iom_staff: bool = False
    is_superuser: bool = False
    secretariat_of: tuple[str, ...] = ()
    focal_point_for: str | None = None
    language: str = ""  # the portal's language at login; empty follows the browser


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Site", "Administrator", "site administrator", is_superuser=True),
    DemoAccount("iom.reviewer", "Amina", "Reviewer", "IOM staff (reviewer, approver, compiler)", is_iom_staff=True),
    DemoAccount(
        "secretariat.bali", "Lena", "Hartono", "secretariat of the Bali Process", secretariat_of=("bali-process",)
    ),
    DemoAccount(
        "secretariat.midwa",
        "Kofi",
        "Mensah",
        "secretariat of MIDWA (works in French)",
        secretariat_of=("midwa",),
        language="fr",
    ),
    DemoAccount(
        "secretariat.rcm",
        "Lucía",
        "Fernández",
        "secretariat of the RCM (Puebla Process)",
        secretariat_of=("rcm-puebla-process",),
    ),
    DemoAccount(
        "secretariat.africa",
        "Samuel",
        "Okoro",
        "secretariat of the Rabat and Khartoum Processes",
        secretariat_of=("rabat-process", "khartoum-process"),
    ),
    # Secretariats of the mechanisms whose approved 2024 reviews fill the demo IMRF package (packages/demo.py).
    DemoAccount(
        "secretariat.asia",
        "Priya",
        "Perera",
        "secretariat of the Abu Dhabi Dialogue and the Colombo Process",
        secretariat_of=("abu-dhabi-dialogue", "colombo-process"),
    ),
    DemoAccount("secretariat.igad", "Hana", "Tesfaye", "secretariat of the IGAD-RCP", secretariat_of=("igad-rcp",)),
    DemoAccount(
        "secretariat.prague", "Marek", "Novak", "secretariat of the Prague Process", secretariat_of=("prague-process",)
    ),
    DemoAccount(
        "secretariat.sacm",
        "Camila",
        "Rojas",
        "secretariat of the SACM (works in Spanish)",
        secretariat_of=("sacm",),
        language="es",
    ),
    DemoAccount("focal.ghana", "Ama", "Owusu", "focal point of Ghana", focal_point_for="GHA"),
    DemoAccount("focal.philippines", "Jose", "Santos", "focal point of the Philippines", focal_point_for="PHL"),
)


def demo_users_create(*, password: str) -> list[str]:
    """Create or refresh the demo accounts; returns one printable line per login."""
    lines = []
    mechanisms = {mechanism.slug: mechanism for mechanism in Mechanism.objects.all()}
    # Every demo account shares one published password, so one hash serves them all: hashing is made slow on
    # purpose, and `make run` refreshes the accounts on every start.
    existing = User.objects.filter(is_demo=True).exclude(password="").values_list("password", flat=True).first()
    encoded = existing if existing and check_password(password, existing) else make_password(password)
    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@demo.iscm-portal.localhost",
                "is_iom_staff": account.is_iom_staff,
                "is_superuser": account.is_superuser,
                "is_staff": account.is_superuser,
                "is_demo": True,
                "language": account.language,
                "password": encoded,
                "focal_point_state": (
                    State.objects.get(iso3=account.focal_point_for) if account.focal_point_for else None
                ),
            },
        )
        user.secretariat_mechanisms.set([mechanisms[slug] for slug in account.secretariat_of])
        lines.append(f"  {account.username:<20} {account.role}")
    return lines
