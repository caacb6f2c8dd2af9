from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from trajectories import access, selectors

from . import health
from .landing import landing_for
from .waiting import open_actions

LANDING_PAGE_SIZE = 10


@login_required
def home(request):
    landing = landing_for(request.user)
    # A page of trajectories with "N van M" and a link to the full list: a coach of
    # a national programme is in thousands.
    page = selectors.trajectories_with_roles(
        request.user, page_number=request.GET.get("page"), per_page=LANDING_PAGE_SIZE
    )
    return render(
        request,
        "home.html",
        {
            "landing": landing,
            "trajectories": page.object_list,
            "page": page,
            "roles": access.all_roles(request.user),
            "open_actions": open_actions(request.user),
        },
    )


@never_cache
@require_GET
def healthz(request):
    database = health.check_database()
    broker = health.check_broker()
    worker = health.check_worker(broker)
    status = "ok" if database == "ok" else "error"
    return JsonResponse(
        {"status": status, "database": database, "broker": broker, "worker": worker},
        status=200 if database == "ok" else 503,
    )


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old tab, a blocked cookie)."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the error may have come from one of them.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))
