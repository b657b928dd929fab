"""Who may do what with pledges.

IOM staff and site admins manage every pledge; a focal point manages its State's pledges; a
secretariat manages its mechanism's pledges; everyone sees published pledges.
"""

import rules

from accounts.rules import is_focal_point, is_iom_or_admin, is_secretariat_staff


@rules.predicate
def is_pledge_owner(user, pledge):
    if pledge is None or not user.is_authenticated or not user.is_active:
        return False
    if pledge.pledger_state_id and pledge.pledger_state_id == user.focal_point_state_id:
        return True
    return bool(pledge.pledger_mechanism_id and pledge.pledger_mechanism_id in user.secretariat_mechanism_ids)


@rules.predicate
def is_published(user, pledge):
    return bool(pledge is not None and pledge.is_published)


can_manage_pledge = is_iom_or_admin | is_pledge_owner

rules.add_perm("pledges.view_pledge_list", rules.always_allow)
rules.add_perm("pledges.view_pledge", is_published | can_manage_pledge)
rules.add_perm("pledges.add_pledge", is_iom_or_admin | is_focal_point | is_secretariat_staff)
rules.add_perm("pledges.change_pledge", can_manage_pledge)
rules.add_perm("pledges.add_pledgeupdate", can_manage_pledge)
rules.add_perm("pledges.publish_pledge", is_iom_or_admin)
rules.add_perm("pledges.import_pledges", is_iom_or_admin)
