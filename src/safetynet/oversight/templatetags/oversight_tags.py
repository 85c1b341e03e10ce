"""``{% household_credit household %}``: the credit panel (信用) the household page and the case
page show — recoveries whose credit mark is in force and what the household still owes — so
that the next application sees it. Pages of apps below oversight load this tag library instead
of importing oversight (the same hook ``changes_tags`` gives the household page)."""

from __future__ import annotations

from typing import Any

from django import template

from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.oversight.selectors import household_credit as credit_of

register = template.Library()


@register.inclusion_tag("oversight/_credit.html", takes_context=True)
def household_credit(context: Any, household: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "household": household,
        "credit": credit_of(household=household),
        "can_record": allowed(user, Capability.RECORD_RECOVERIES),
        "can_view": allowed(user, Capability.VIEW_OVERSIGHT),
    }
