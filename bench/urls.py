"""The project's URLs plus one trivial authenticated page, the benchmark's yardstick."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from lobtraject import urls as project_urls


@login_required
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *project_urls.urlpatterns]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
