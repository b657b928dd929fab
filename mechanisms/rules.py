import rules

from accounts.rules import is_iom_or_admin


@rules.predicate
def is_mechanism_secretariat(user, mechanism):
    if mechanism is None or not user.is_authenticated:
        return False
    return mechanism.pk in user.secretariat_mechanism_ids


@rules.predicate
def is_state_focal_point(user, state):
    if state is None or not user.is_authenticated:
        return False
    return user.focal_point_state_id == state.pk


rules.add_perm("mechanisms.view_mechanism", rules.always_allow)
rules.add_perm("mechanisms.change_mechanism", is_iom_or_admin | is_mechanism_secretariat)
rules.add_perm("mechanisms.change_membership", is_iom_or_admin)
# Kind, name, scope and partners are directory facts IOM keeps; a secretariat edits its own profile.
rules.add_perm("mechanisms.change_mechanism_core", is_iom_or_admin)
rules.add_perm("mechanisms.view_mechanism_history", is_iom_or_admin | is_mechanism_secretariat)
# The notes on how the directory's data was gathered and reconciled are IOM's working notes, not public facts.
rules.add_perm("mechanisms.view_data_notes", is_iom_or_admin)
