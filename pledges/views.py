from django.shortcuts import render


def pledge_list(request):
    return render(request, "pledges/pledge/list.html")
