import rules

from accounts.rules import is_iom_or_admin


@rules.predicate
def is_review_secretariat(user, review):
    if review is None or not user.is_authenticated:
        return False
    return review.mechanism_id in user.secretariat_mechanism_ids


rules.add_perm("packages.view_package", is_iom_or_admin)
rules.add_perm("packages.add_package", is_iom_or_admin)
rules.add_perm("packages.compile_package", is_iom_or_admin)
rules.add_perm("packages.download_package", is_iom_or_admin)
# The PDF of one review: for the mechanism's secretariat and for IOM.
rules.add_perm("packages.download_review_pdf", is_iom_or_admin | is_review_secretariat)
