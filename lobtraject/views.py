from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from trajectories import access, selectors

from . import health
from .landing import landing_for
from .waiting import waiting, waiting_page

LANDING_PAGE_SIZE = 10


@login_required
def home(request):
    landing = landing_for(request.user)
    # A page of trajectories with "N van M" and a link to the full list: a coach of
    # a national programme is in thousands.
    page = selectors.trajectories_with_roles(
        request.user, page_number=request.GET.get("page"), per_page=LANDING_PAGE_SIZE
    )
    # "Wat wacht op mij": per kind the first ten with "N van M" and a link to the rest.
    groups = waiting(request.user)
    return render(
        request,
        "home.html",
        {
            "landing": landing,
            "trajectories": page.object_list,
            "page": page,
            "roles": access.all_roles(request.user),
            "waiting": groups,
            "open_actions": [action for group in groups for action in group.actions],
            "waiting_total": sum(group.total for group in groups),
            "waiting_capped": any(group.capped for group in groups),
        },
    )


@login_required
@require_GET
def waiting_list(request, kind):
    """Every open action of one kind, a page at a time (linked from the landing page)."""
    source, page, actions = waiting_page(request.user, kind, request.GET.get("page"))
    return render(request, "waiting.html", {"source": source, "page": page, "actions": actions})


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
