"""Security gates: deploy checks, headers, CSRF on every POST endpoint, private
uploads, login throttling and known-vulnerable dependencies."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.urls import Resolver404, converters, resolve, reverse

from lobtraject.converters import CodeConverter, IdConverter, PersonConverter
from tests import services as test_services
from tests.role_matrix import walk_urls

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "security-test-" + "k" * 50,
    "ALLOWED_HOSTS": "lob-traject.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "CELERY_BROKER_URL": "",
    # Production shares its rate-limit counters in Redis (checked, not connected to).
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lobtraject.settings", **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- deployment settings and headers -------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_responses_carry_hsts_and_the_other_security_headers():
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', secure=True, HTTP_HOST='lob-traject.example');"
        "plain = Client().get('/healthz', HTTP_HOST='lob-traject.example');"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers),"
        " 'plain_status': plain.status_code, 'plain_location': plain.headers.get('Location', '')}))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    headers = data["headers"]
    hsts = headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    assert "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert_strict_csp(headers["Content-Security-Policy"])
    # Plain http is sent to https.
    assert data["plain_status"] == 301
    assert data["plain_location"].startswith("https://lob-traject.example/")


def test_production_cookies_are_secure_and_http_only():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG]))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, True, False]


def assert_strict_csp(policy: str) -> None:
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[name], policy
        assert "'unsafe-eval'" not in directives[name], policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_no_inline_scripts(client_for, world):
    coach = client_for(world.coach)
    for client, path in (
        (coach, "/"),
        (coach, "/trajecten/"),
        (coach, f"/trajecten/{world.trajectory.pk}/"),
        (coach, f"/trajecten/{world.trajectory.pk}/planning/"),
        (client_for(None), "/account/inloggen/"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response["Content-Security-Policy"])
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        html = response.content.decode()
        # Every <script> loads a file; none carries code (CSP would block it anyway).
        for tag, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", html, re.S):
            assert "src=" in tag and not body.strip(), f"inline script on {path}: {tag}"
        assert not re.search(r"\sstyle=\"", html), f"inline style attribute on {path}"
        assert not re.search(r"\son[a-z]+=\"", html), f"inline event handler on {path}"


# --- CSRF on every POST endpoint -------------------------------------------------

CSRF_EXEMPT: set[str] = set()  # no URL of ours accepts a POST without a CSRF token


def csrf_rejected(request, reason=""):
    response = HttpResponseForbidden("csrf")
    response["X-Test-CSRF-Rejected"] = reason
    return response


PLACEHOLDERS = {
    converters.IntConverter: 1,
    IdConverter: 1,
    CodeConverter: "ABCDEF",
    PersonConverter: "u-1",
}


def dummy_url(entry) -> str:
    """The URL with placeholder values: CSRF is checked before any object is looked up."""
    values = {}
    for name in entry.kwargs:
        converter = entry.pattern.pattern.converters.get(name)
        values[name] = PLACEHOLDERS.get(type(converter), "x")
    return reverse(entry.name, kwargs=values)


@pytest.mark.django_db
@override_settings(CSRF_FAILURE_VIEW="tests.test_security.csrf_rejected")
def test_every_url_refuses_a_post_without_csrf_token(world):
    from tests.factories import UserFactory

    people = {"anonymous": None, "coach": world.coach, "staff": UserFactory(is_staff=True)}
    failures, checked = [], 0
    for entry in walk_urls():
        if entry.name in CSRF_EXEMPT:
            continue
        url = dummy_url(entry)
        for who, user in people.items():
            client = Client(enforce_csrf_checks=True, raise_request_exception=False)
            if user is not None:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            response = client.post(url, {"text": "zonder token"})
            checked += 1
            if response.status_code != 403 or "X-Test-CSRF-Rejected" not in response:
                failures.append(f"{entry.name} {url} as {who}: {response.status_code}")
    assert not failures, "POST accepted without CSRF token:\n" + "\n".join(failures)
    assert checked > 100


# --- uploads are private -----------------------------------------------------------


@pytest.mark.django_db
def test_uploaded_files_are_not_served_from_any_public_path(client_for, world):
    media = Path(settings.MEDIA_ROOT)
    secret = media / "audio" / "2026" / "geheim.wav"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_bytes(b"RIFF....WAVEfmt vertrouwelijk")
    relative = secret.relative_to(media).as_posix()
    client = client_for(world.coach)
    for path in (
        f"{settings.MEDIA_URL}{relative}",
        f"/media/{relative}",
        f"/{relative}",
        f"{settings.STATIC_URL}{relative}",
        f"{settings.STATIC_URL}../media/{relative}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"vertrouwelijk" not in b"".join(getattr(response, "streaming_content", [response.content]))
    # No URL pattern serves MEDIA_URL.
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}{relative}")


def test_media_folder_is_outside_every_static_folder():
    media = Path(settings.MEDIA_ROOT).resolve()
    static_dirs = [Path(d).resolve() for d in settings.STATICFILES_DIRS] + [Path(settings.STATIC_ROOT).resolve()]
    for static in static_dirs:
        assert media != static
        assert static not in media.parents, f"MEDIA_ROOT {media} is inside {static}"
        assert media not in static.parents
    # The default media folder of a fresh install is not a static folder either.
    default_media = (BASE_DIR / "media").resolve()
    assert all(default_media != s and s not in default_media.parents for s in static_dirs)
    # Nothing in the static source folder looks like an upload.
    uploads = [p for p in (BASE_DIR / "static").rglob("*") if p.suffix in {".wav", ".webm", ".eml", ".m4a"}]
    assert not uploads


# --- login throttling ------------------------------------------------------------------
# Behaviour is proven in tests/accounts/test_auth.py
# (test_login_is_throttled_after_five_failures, test_throttling_is_per_account);
# here: the production configuration keeps it on.


def test_login_throttling_is_on_in_production_settings():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.AXES_ENABLED, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(),"
        " s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1]]))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    enabled, limit, cooloff, backend, last_middleware = json.loads(result.stdout.strip().splitlines()[-1])
    assert enabled is True and 1 <= limit <= 10 and cooloff >= 5 * 60
    assert backend == "axes.backends.AxesStandaloneBackend"
    assert last_middleware == "axes.middleware.AxesMiddleware"


# --- dependencies ----------------------------------------------------------------------


def test_installed_requirements_are_consistent():
    result = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pip_audit_finds_no_known_vulnerabilities():
    """pip-audit against the installed environment.

    Its advisory services (the PyPI JSON API, OSV) are not reachable from this
    workplace, for developers and CI alike: every package then comes back
    "not found" instead of audited. The test skips in that case (also with
    CI=true, since CI has the same network) and fails on any vulnerability it
    does see.
    """
    executable = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
    if executable is None:
        test_services.skip_or_fail("pip-audit is not installed (make install-dev)")
    result = subprocess.run(
        [executable, "--format", "json", "--progress-spinner", "off", "--timeout", "20"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.skip(f"pip-audit could not reach its advisory service: {result.stderr[-300:]}")
    dependencies = report["dependencies"]
    vulnerable = [
        f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
        for d in dependencies
        if d.get("vulns")
    ]
    assert not vulnerable, "known vulnerabilities:\n" + "\n".join(vulnerable)
    audited = [d for d in dependencies if "skip_reason" not in d]
    if len(audited) < len(dependencies) // 2:
        pytest.skip(
            f"pip-audit audited {len(audited)} of {len(dependencies)} packages: "
            "its advisory service is unreachable from this network"
        )


def _offline_advisories() -> tuple[dict, datetime.date]:
    """safety-db's snapshot of PyUp's free advisory database (package -> advisories).

    The only vulnerability database found that a package ships (searched PyPI
    for safety-db, pypa advisory and OSV snapshots); its last release is from
    July 2021, so it knows nothing newer. Its __init__ opens a relative path, so
    the file is read from the installed distribution instead of importing it.
    """
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = distribution("safety-db").locate_file("safety_db/insecure_full.json")
    except PackageNotFoundError:
        test_services.skip_or_fail("safety-db is not installed (make install-dev)")
    data = json.loads(Path(path).read_text())
    meta = data.pop("$meta")
    return data, datetime.date.fromtimestamp(meta["timestamp"])


def _pins(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def _vulnerable(pins: dict[str, str], advisories: dict) -> list[str]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    database = {re.sub(r"[-_.]+", "-", name).lower(): rows for name, rows in advisories.items()}
    found = []
    for name, version in pins.items():
        try:
            pinned = Version(version)
        except InvalidVersion:
            continue
        for advisory in database.get(name, []):
            for spec in advisory["specs"]:
                try:
                    hit = pinned in SpecifierSet(spec)
                except InvalidSpecifier:
                    continue
                if hit:
                    found.append(f"{name}=={version}: {advisory['id']} {advisory.get('cve') or ''}")
    return found


def test_lock_files_have_no_pin_listed_in_the_offline_advisory_database():
    """Every pin of requirements/base.txt and dev.txt against safety-db (offline)."""
    advisories, as_of = _offline_advisories()
    assert len(advisories) > 1000 and as_of.year >= 2021
    # The check can fail: a Django release with published advisories is caught.
    assert _vulnerable({"django": "2.2.0"}, advisories), "the advisory check matches nothing"
    checked = {}
    for name in ("base.txt", "dev.txt"):
        checked.update(_pins((BASE_DIR / "requirements" / name).read_text()))
    assert len(checked) > 50, checked
    found = _vulnerable(checked, advisories)
    assert not found, f"pins with advisories (database of {as_of}):\n" + "\n".join(found)


def test_django_is_the_newest_security_release_of_its_series():
    """What can be checked without an advisory service: Django, the dependency
    with the most security releases, is the newest patch of 5.2 the package
    index offers."""
    import django

    result = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "django"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    match = re.search(r"Available versions: (.*)", result.stdout)
    if result.returncode != 0 or not match:
        test_services.skip_or_fail(f"the package index is unreachable: {result.stderr[-300:]}")
    series = ".".join(django.__version__.split(".")[:2])
    patches = [v for v in match.group(1).split(", ") if v == series or v.startswith(series + ".")]
    newest = max(patches, key=lambda v: tuple(int(p) for p in v.split(".")))
    assert django.__version__ == newest, f"Django {django.__version__} installed, {newest} available"
