import rules

from accounts.rules import is_iom_or_admin


@rules.predicate
def may_read_source_review(user, practice):
    return practice is not None and user.has_perm("reviews.view_review", practice.review)


# An entry is visible to whoever may read the review it comes from (the reviews app's rule: approved reviews
# for everyone, submitted ones for IOM and the Member States' focal points, all of a secretariat's own).
rules.add_perm("library.view_library", rules.always_allow)
rules.add_perm("library.view_unapproved", is_iom_or_admin)
rules.add_perm("library.view_practice", may_read_source_review)
