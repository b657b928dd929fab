from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.permissions import permission_required


@login_required
def my_reviews(request):
    return render(request, "reviews/dashboard/mine.html")


@permission_required("accounts.view_iom_dashboard")
def iom_dashboard(request):
    return render(request, "reviews/dashboard/iom.html")
