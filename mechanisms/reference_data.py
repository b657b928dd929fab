"""Loads States, regions, the 2018 GA vote and the ISCMs with their memberships from mechanisms/data/."""

import datetime
import json
from pathlib import Path

from django.utils.text import slugify

from iscm_portal.reference_loading import ReferenceDataError, UpsertCounter, read_records, require, translations

from .enums import GcmVote2018, MechanismKind, MechanismStatus, MembershipRole, OrganisationKind, RegionLevel, UnStatus
from .models import Mechanism, Membership, Organisation, Region, State, Theme

DATA_DIR = Path(__file__).resolve().parent / "data"
STATE_FILES = ("states.json", "territories.json")
WORLD = "World"
REGION_NAMES_FILE = "m49_region_names.json"


def directory_reference_load(*, counter: UpsertCounter, data_dir: Path = DATA_DIR, today: datetime.date) -> None:
    """Upsert regions, States, themes, mechanisms and memberships. Call inside a transaction."""
    states_by_iso3 = _load_states(counter, data_dir)
    _load_region_names(counter, data_dir)
    _apply_vote(states_by_iso3, data_dir)
    _load_mechanisms(counter, data_dir, states_by_iso3, today)


def _region(counter: UpsertCounter, name: str, level: str, parent: Region | None) -> Region:
    return counter.upsert(Region, {"name": name}, {"level": level, "parent": parent})


def _load_states(counter: UpsertCounter, data_dir: Path) -> dict[str, dict]:
    """Return the validated State values by ISO3; rows are written after the vote is applied."""
    _region(counter, WORLD, RegionLevel.WORLD, None)
    states = {}
    for file in STATE_FILES:
        for index, record in enumerate(read_records(data_dir / file), start=1):
            iso3 = require(record, "iso3", str, file=file, label=f"#{index}")
            label = iso3
            if len(iso3) != 3 or not iso3.isupper() or iso3 in states:
                raise ReferenceDataError(file, label, "iso3", "must be a unique three-letter upper-case code")
            status = require(record, "un_status", str, file=file, label=label)
            if status not in UnStatus.values:
                raise ReferenceDataError(file, label, "un_status", f"unknown status {status!r}")
            continent = _region(
                counter, require(record, "un_m49_region", str, file=file, label=label), RegionLevel.CONTINENT, None
            )
            subregion = _region(
                counter,
                require(record, "un_m49_subregion", str, file=file, label=label),
                RegionLevel.SUBREGION,
                continent,
            )
            intermediate_name = require(
                record, "un_m49_intermediate_region", str, file=file, label=label, allow_null=True
            )
            intermediate = (
                _region(counter, intermediate_name, RegionLevel.INTERMEDIATE, subregion) if intermediate_name else None
            )
            states[iso3] = {
                "file": file,
                "iso2": require(record, "iso2", str, file=file, label=label),
                "m49_code": require(record, "m49_code", str, file=file, label=label),
                "name": require(record, "name", str, file=file, label=label),
                "un_status": status,
                "region": continent,
                "subregion": subregion,
                "intermediate_region": intermediate,
                "gcm_vote_2018": (
                    GcmVote2018.NOT_APPLICABLE if status == UnStatus.TERRITORY else GcmVote2018.IN_FAVOUR_OR_NOT_VOTING
                ),
                "gcm_stance_note": "",
            }
    return states


def _load_region_names(counter: UpsertCounter, data_dir: Path) -> None:
    """French and Spanish M49 region names where a source gives one (null: shown in English)."""
    file = REGION_NAMES_FILE
    regions = {region.name: region for region in Region.objects.all()}
    seen = set()
    for index, record in enumerate(read_records(data_dir / file), start=1):
        name = require(record, "name", str, file=file, label=f"#{index}")
        if name not in regions:
            raise ReferenceDataError(file, name, "name", "not a region of the States' data")
        if name in seen:
            raise ReferenceDataError(file, name, "name", "listed twice")
        seen.add(name)
        require(record, "sources", dict, file=file, label=name)
        counter.upsert(Region, {"name": name}, translations(record, "name", file=file, label=name))


def _apply_vote(states: dict[str, dict], data_dir: Path) -> None:
    file = "gcm_vote_2018.json"
    path = data_dir / file
    try:
        vote = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError) as exc:
        raise ReferenceDataError(file, "-", "-", f"unreadable ({exc})") from None
    for field, value in (("against", GcmVote2018.AGAINST), ("abstained", GcmVote2018.ABSTAINED)):
        for iso3 in vote.get(field, []):
            if iso3 not in states or states[iso3]["un_status"] != UnStatus.MEMBER_STATE:
                raise ReferenceDataError(file, iso3, field, "not a UN Member State of states.json")
            states[iso3]["gcm_vote_2018"] = value
    for iso3, note in vote.get("stance_notes", {}).items():
        if iso3 not in states:
            raise ReferenceDataError(file, iso3, "stance_notes", "unknown ISO code")
        states[iso3]["gcm_stance_note"] = note


def _load_mechanisms(counter: UpsertCounter, data_dir: Path, states: dict[str, dict], today: datetime.date) -> None:
    state_rows = {}
    for iso3, values in states.items():
        values = {key: value for key, value in values.items() if key != "file"}
        state_rows[iso3] = counter.upsert(State, {"iso3": iso3}, values)
    regions = {region.name: region for region in Region.objects.all()}

    file = "iscms.json"
    for index, record in enumerate(read_records(data_dir / file), start=1):
        slug = require(record, "slug", str, file=file, label=f"#{index}")
        label = slug
        kind = require(record, "kind", str, file=file, label=label)
        if kind not in MechanismKind.values:
            raise ReferenceDataError(file, label, "kind", f"unknown kind {kind!r}")
        status = require(record, "status", str, file=file, label=label)
        if status not in MechanismStatus.values:
            raise ReferenceDataError(file, label, "status", f"unknown status {status!r}")
        founded = require(record, "founded", int, file=file, label=label, allow_null=True)
        mechanism = counter.upsert(
            Mechanism,
            {"slug": slug},
            {
                "acronym": require(record, "acronym", str, file=file, label=label),
                "name": require(record, "name", str, file=file, label=label),
                "kind": kind,
                "founded": founded,
                "status": status,
                "secretariat": record.get("secretariat") or "",
                "associated_organisation": record.get("associated_organisation") or "",
                "website": record.get("website") or "",
                "notes": record.get("notes") or "",
                "sources": require(record, "sources", list, file=file, label=label),
                "members_complete": require(record, "members_complete", bool, file=file, label=label),
                "members_basis": record.get("members_basis") or "",
                "membership_as_of": record.get("membership_as_of") or "",
                "observers_complete": require(record, "observers_complete", bool, file=file, label=label),
                "other_participants": require(record, "other_participants", list, file=file, label=label),
            },
        )
        region_names = require(record, "regions", list, file=file, label=label)
        unknown = [name for name in region_names if name not in regions]
        if unknown:
            raise ReferenceDataError(file, label, "regions", f"unknown region(s) {', '.join(unknown)}")
        _set_if_changed(mechanism.regions, {regions[name] for name in region_names})
        themes = set()
        for theme_name in require(record, "thematic_focus", list, file=file, label=label):
            themes.add(counter.upsert(Theme, {"slug": slugify(theme_name)}, {"name": theme_name}))
        _set_if_changed(mechanism.themes, themes)
        partners = {
            counter.upsert(Organisation, {"name": name}, {"kind": _organisation_kind(name)})
            for name in _split_organisations(record.get("associated_organisation"))
        }
        _set_if_changed(mechanism.partners, partners)

        roles = {}
        for field, role in (("members", MembershipRole.MEMBER), ("observers", MembershipRole.OBSERVER)):
            for iso3 in require(record, field, list, file=file, label=label):
                if iso3 not in state_rows:
                    raise ReferenceDataError(file, label, field, f"unknown ISO code {iso3!r}")
                if iso3 in roles:
                    raise ReferenceDataError(file, label, field, f"{iso3} is listed twice")
                roles[iso3] = role
        _sync_memberships(counter, mechanism, {state_rows[iso3]: role for iso3, role in roles.items()}, today)


def _split_organisations(value: str | None) -> list[str]:
    """The data lists several associated organisations as one '; '-separated string."""
    return [name.strip() for name in (value or "").split(";") if name.strip()]


def _organisation_kind(name: str) -> str:
    if name.startswith("International Organization"):
        return OrganisationKind.INTERNATIONAL_ORGANISATION
    return OrganisationKind.REGIONAL_ORGANISATION


def _set_if_changed(related_manager, wanted: set) -> None:
    if set(related_manager.all()) != wanted:
        related_manager.set(wanted)


def _sync_memberships(counter, mechanism: Mechanism, wanted: dict[State, str], today: datetime.date) -> None:
    """Record joins, departures and role changes as dated rows instead of overwriting them."""
    current = {membership.state: membership for membership in mechanism.memberships.current().select_related("state")}
    for state, membership in current.items():
        if wanted.get(state) != membership.role:
            membership.end_date = today
            membership.note = membership.note or "No longer listed in the reference data"
            membership.save(update_fields=["end_date", "note"])
            counter.count(Membership, "updated")
        else:
            counter.count(Membership, "unchanged")
    for state, role in wanted.items():
        if state not in current or current[state].role != role:
            Membership.objects.create(mechanism=mechanism, state=state, role=role)
            counter.count(Membership, "created")
