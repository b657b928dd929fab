from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gcm.models import Objective
from mechanisms.models import Mechanism, State

from .health import health_report
from .page_cache import MECHANISMS, public_page


@public_page(MECHANISMS)
def home(request):
    mechanism_counts = Mechanism.objects.aggregate(
        total=Count("pk"),
        rcp=Count("pk", filter=Q(kind="RCP")),
        irf=Count("pk", filter=Q(kind="IRF")),
        global_processes=Count("pk", filter=Q(kind="GLOBAL")),
    )
    context = {
        "mechanism_counts": mechanism_counts,
        "state_count": State.objects.count(),
        "objective_count": Objective.objects.count(),
    }
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
