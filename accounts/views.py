from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def landing(request):
    """Send each user, after login, to the page their role starts from."""
    user = request.user
    if user.is_iom_staff:
        return redirect("reviews:iom_dashboard")
    if user.secretariat_mechanism_ids:
        return redirect("reviews:my_reviews")
    if user.focal_point_state_id:
        return redirect("mechanisms:state_detail", iso3=user.focal_point_state.iso3)
    return redirect("home")
