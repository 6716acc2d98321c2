from django import template

from ..selectors import ladder_next_action, ladder_plan

register = template.Library()


@register.inclusion_tag("clock/_ladder_plan.html")
def ladder_plan_table(subject):
    """``{% load clock_tags %}{% ladder_plan_table item %}``: the subject's whole ladder, next step marked."""
    return {"plan": ladder_plan(subject), "next": ladder_next_action(subject)}
