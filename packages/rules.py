import rules

from accounts.rules import is_iom_or_admin
from reviews.rules import can_view_review, is_secretariat_of_review

rules.add_perm("packages.view_package", is_iom_or_admin)
rules.add_perm("packages.add_package", is_iom_or_admin)
rules.add_perm("packages.compile_package", is_iom_or_admin)
rules.add_perm("packages.download_package", is_iom_or_admin)
# The PDF of one review: for the mechanism's secretariat and for IOM, and only of a review they may read
# (a draft stays the secretariat's own).
rules.add_perm("packages.download_review_pdf", (is_iom_or_admin | is_secretariat_of_review) & can_view_review)
# IOM's synthesis of a package (executive summary, one text per objective): IOM staff and administrators read,
# write, comment and mark it final; nobody else sees a package. The services refuse edits of a final synthesis.
rules.add_perm("packages.change_synthesis", is_iom_or_admin)
rules.add_perm("packages.comment_synthesis", is_iom_or_admin)
