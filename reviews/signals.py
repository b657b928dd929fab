"""Signals other apps may listen to; sent after the change is committed, never carrying business rules."""

from django.dispatch import Signal

# Sent with `review_id` after a review's content was saved and committed.
review_content_changed = Signal()
