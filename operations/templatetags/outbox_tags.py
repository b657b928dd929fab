"""`{% load outbox_tags %}{% outbox_panel %}`: how many e-mails, reminders and compile requests wait (one query)."""

from django import template

from ..selectors import outbox_backlog

register = template.Library()


@register.inclusion_tag("operations/tags/outbox_panel.html", takes_context=True)
def outbox_panel(context):
    return {"backlog": outbox_backlog(), "perms": context.get("perms")}
