"""The project's URLs plus the benchmark's two yardsticks: a trivial
authenticated page, and the site's layout with nothing in it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from lobtraject import urls as project_urls


@login_required
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


LAYOUT = '{% extends "base.html" %}{% block content %}<h1>ok</h1>{% endblock %}'


@login_required
def layout(request):
    """The cost every page pays before its own work: menu, messages, footer."""
    return HttpResponse(engines["django"].from_string(LAYOUT).render({}, request))


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("bench/layout/", layout, name="bench_layout"),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
