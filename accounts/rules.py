"""Role predicates shared by every app's rules.

Object-level rules live in each app's rules.py and combine these predicates.
"""

import rules


@rules.predicate
def is_iom_staff(user):
    return bool(user.is_authenticated and user.is_active and user.is_iom_staff)


@rules.predicate
def is_site_admin(user):
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_secretariat_staff(user):
    return bool(user.is_authenticated and user.is_active and user.secretariat_mechanism_ids)


@rules.predicate
def is_focal_point(user):
    return bool(user.is_authenticated and user.is_active and user.focal_point_state_id)


is_iom_or_admin = is_iom_staff | is_site_admin

rules.add_perm("accounts.view_iom_dashboard", is_iom_or_admin)
# Logins locked after too many wrong passwords (django-axes): IOM staff and site administrators unlock them.
rules.add_perm("accounts.unlock_login", is_iom_or_admin)


@rules.predicate
def is_active_user(user):
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_token_owner(user, token):
    return bool(token is not None and user.is_authenticated and token.user_id == user.pk)


# Personal API tokens: every signed-in user makes their own and revokes only their own.
rules.add_perm("accounts.manage_api_tokens", is_active_user)
rules.add_perm("accounts.revoke_api_token", is_active_user & is_token_owner)
