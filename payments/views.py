from django.shortcuts import render


def report(request):
    return render(request, "payments/report.html")
