from django.shortcuts import get_object_or_404, render

from . import selectors


def directory(request):
    return render(request, "mechanisms/mechanism/list.html", {"mechanisms": selectors.mechanism_list()})


def mechanism_detail(request, slug):
    mechanism = get_object_or_404(selectors.mechanism_detail(slug))
    return render(request, "mechanisms/mechanism/detail.html", {"mechanism": mechanism})


def state_detail(request, iso3):
    state = get_object_or_404(selectors.state_detail(iso3.upper()))
    return render(request, "mechanisms/state/detail.html", {"state": state})
