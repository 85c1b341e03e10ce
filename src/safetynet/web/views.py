from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safetynet.registry import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    households = selectors.household_list(user=request.user)
    return render(
        request,
        "web/home.html",
        {"household_count": households.count(), "recent": households[:10]},
    )
