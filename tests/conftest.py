"""Shared fixtures: real services, personas per role, and small helpers.

Database: when PostgreSQL's binaries are on the machine the whole suite runs
on a throwaway PostgreSQL server (see tests/services.py). Set
LOB_TEST_DATABASE=sqlite to run it on SQLite instead; tests marked
`postgres` then skip (and fail in CI, where CI=true).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings

from tests import demo_world as shared_demo
from tests import services
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StudyFactory,
    StudyMembershipFactory,
    TrajectoryFactory,
    UserFactory,
)
from trajectories.models import Role, StudyRole

PERSONAS = [
    "coach",
    "researcher",
    "independent",
    "champion",
    "buddy",
    "manager",
    "participant",
    "outsider",
    "staff",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs the PostgreSQL test server")
    config.addinivalue_line("markers", "celery: needs Redis and a real Celery worker")
    config.addinivalue_line("markers", "e2e: drives Chromium against a live server")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Tests on the shared demo copy switch databases before any function fixture runs.

    `_demo_database` must come before pytest-django's per-test transaction
    (an autouse fixture), so it is moved in front of the test's first
    function-scoped fixture; session fixtures (the test database) stay first.
    """
    wanted = False
    for item in items:
        names = getattr(item, "fixturenames", None)
        if not names or shared_demo.SWITCH_FIXTURE not in names:
            continue
        wanted = wanted or not shared_demo.commits(item)
        names.remove(shared_demo.SWITCH_FIXTURE)
        definitions = item._fixtureinfo.name2fixturedefs
        first = next(
            (
                index
                for index, name in enumerate(names)
                if name in definitions and definitions[name][-1].scope == "function"
            ),
            len(names),
        )
        names.insert(first, shared_demo.SWITCH_FIXTURE)
    config._lob_wants_demo_copy = wanted


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Fast password hashing and a private media folder for the whole session."""
    media_root = tempfile.mkdtemp(prefix="lob-media-")
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_settings.MEDIA_ROOT = media_root
    django_settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The speech model costs a core for seconds per recording: only the tests that ask for
    # it (the `packaged_model` fixture, the browser journey's worker) get it. Elsewhere a
    # saved recording meets "no model installed", inline, so no thread outlives its test.
    PACKAGED_MODEL_DIR.append(django_settings.TRANSCRIPTION_MODEL_DIR)
    django_settings.TRANSCRIPTION_MODEL_DIR = Path(tempfile.mkdtemp(prefix="lob-no-model-"))
    django_settings.TRANSCRIPTION_EAGER_IN_THREAD = False
    yield
    shutil.rmtree(media_root, ignore_errors=True)
    shutil.rmtree(django_settings.TRANSCRIPTION_MODEL_DIR, ignore_errors=True)


PACKAGED_MODEL_DIR: list = []


@pytest.fixture
def packaged_model(settings):
    """The packaged Whisper base model, as `make install` assembles it: it must be there."""
    from lobtraject.transcription import model_available

    settings.TRANSCRIPTION_MODEL_DIR = PACKAGED_MODEL_DIR[0]
    assert model_available(), (
        f"no speech model in {settings.TRANSCRIPTION_MODEL_DIR}: run `make install-dev`"
    )
    return settings.TRANSCRIPTION_MODEL_DIR


@pytest.fixture(scope="session")
def postgres_server():
    mode = os.environ.get("LOB_TEST_DATABASE", "auto")
    if mode == "sqlite":
        yield None
        return
    server = services.PostgresServer()
    if not server.available:
        if services.in_ci() or mode == "postgres":
            raise RuntimeError("PostgreSQL (initdb/pg_ctl) is required but not installed")
        yield None
        return
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgres_server):
    """Point the default database at the throwaway PostgreSQL server, if any.

    The settings dict is changed in place before any connection is opened, so
    Django's connection handler picks up the new engine.
    """
    if postgres_server is not None:
        from django.db import connections

        # The SQLite default's OPTIONS (busy timeout, WAL) mean nothing to PostgreSQL.
        django_settings.DATABASES["default"].update(
            {"OPTIONS": {}, **postgres_server.database_settings()}
        )
        # A wrapper may already exist for the old engine; the next access builds a new one.
        connections["default"].close()
        del connections["default"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database, plus its copy for the shared demo (tests/demo_world.py)."""
    if getattr(request.config, "_lob_wants_demo_copy", False):
        shared_demo.create_copy(django_db_blocker)
    yield
    shared_demo.drop_copy(django_db_blocker)


@pytest.fixture
def require_postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        services.skip_or_fail("this test needs PostgreSQL")


@pytest.fixture(scope="session")
def redis_server():
    server = services.RedisServer()
    if not server.available:
        services.skip_or_fail("redis-server is not installed")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a free port for the whole session (tests/services.py)."""
    server = services.S3Server()
    if not server.available:
        services.skip_or_fail("moto is not installed (make install-dev)")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """The private files in a fresh bucket of the S3 server, configured the way a deployment
    does it (FILE_STORAGE=s3 and the S3_* variables); `keys()` lists the bucket."""
    import uuid

    from lobtraject.file_storage import private_files_storage

    bucket = f"lob-test-{uuid.uuid4().hex[:12]}"
    client = s3_server.client()
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": s3_server.region}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": private_files_storage(s3_server.environ(bucket)),
    }

    def keys() -> set[str]:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    return SimpleNamespace(bucket=bucket, client=client, keys=keys)


@pytest.fixture(scope="session")
def celery_worker_process(
    postgres_server, redis_server, django_db_setup, django_db_blocker, tmp_path_factory
):
    """A real Celery worker over the throwaway Redis, on the test database."""
    from django.db import connection

    from lobtraject.celery import app as celery_app

    if postgres_server is None:
        services.skip_or_fail("a real Celery worker needs the PostgreSQL test database")
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    worker = services.CeleryWorker(
        broker_url=redis_server.url,
        database_url=postgres_server.url(connection.settings_dict["NAME"]),
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        },
    )
    _point_celery_at(celery_app, redis_server.url, eager=False)
    try:
        worker.start(celery_app)
    except Exception:
        _point_celery_at(celery_app, "", eager=True)
        raise
    yield SimpleNamespace(worker=worker, redis=redis_server, mail_dir=mail_dir)
    worker.stop()
    _point_celery_at(celery_app, "", eager=True)


def _point_celery_at(celery_app, broker_url: str, *, eager: bool) -> None:
    # Drop pooled connections and producers bound to the previous broker; even
    # eager tasks create a producer pool for the default URL. `close()` also deregisters
    # the app; registered again, or a tasks module imported afterwards (`shared_task`)
    # would never be registered with it ("NotRegistered" in a later eager test).
    from celery._state import _register_app

    celery_app.close()
    _register_app(celery_app)
    celery_app.amqp._producer_pool = None
    # The result backend is built once and kept: without this it would stay on the
    # first URL it was made for, with a result subscription on a connection that a
    # test restarting Redis has closed (the redis-down test runs before the kill test).
    backend = celery_app._backend
    if backend is not None:
        consumer = getattr(backend, "result_consumer", None)
        if consumer is not None:
            with contextlib.suppress(Exception):
                consumer.stop()
        celery_app._backend_cache = None
        with contextlib.suppress(AttributeError):
            del celery_app._local.backend
    celery_app.conf.update(
        broker_url=broker_url or None,
        result_backend=broker_url or None,
        task_always_eager=eager,
    )


@pytest.fixture
def celery_live(celery_worker_process, transactional_db):
    """Tasks sent during this test go over Redis to the real worker.

    The test runs with committed transactions so the worker sees its data.
    """
    from lobtraject.celery import app as celery_app

    _point_celery_at(celery_app, celery_worker_process.redis.url, eager=False)
    yield celery_worker_process
    _point_celery_at(celery_app, celery_worker_process.redis.url, eager=True)


@pytest.fixture
def s3_celery_live(
    s3_storage, s3_server, postgres_server, redis_server, transactional_db, tmp_path
):
    """A second real Celery worker that keeps its files in `s3_storage`'s bucket, as a
    worker on another machine would (FILE_STORAGE=s3 and the S3_* variables), while this
    process is the web with the same settings. Its broker is another Redis database, so
    the session's worker (local files) never takes its tasks. Its MEDIA_ROOT is an empty
    folder (`media`), to show that nothing is written to a local disk."""
    from django.db import connection

    from lobtraject.celery import app as celery_app

    if postgres_server is None:
        services.skip_or_fail("a real Celery worker needs the PostgreSQL test database")
    broker_url = redis_server.url.rsplit("/", 1)[0] + "/3"
    media = tmp_path / "worker-media"
    media.mkdir()
    worker = services.CeleryWorker(
        broker_url=broker_url,
        database_url=postgres_server.url(connection.settings_dict["NAME"]),
        extra_env={**s3_server.environ(s3_storage.bucket), "MEDIA_ROOT": str(media)},
    )
    before = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    _point_celery_at(celery_app, broker_url, eager=False)
    try:
        worker.start(celery_app)
        yield SimpleNamespace(worker=worker, media=media, **vars(s3_storage))
    finally:
        worker.stop()
        _point_celery_at(celery_app, before[0] or "", eager=before[1])


def _make_world():
    study = StudyFactory(name="Cohort Testland 2026")
    organisation = OrganisationFactory(name="Het Baken College", short_name="Baken")
    other_organisation = OrganisationFactory(name="ROC De Delta", short_name="Delta", sector="mbo")
    trajectory = TrajectoryFactory(study=study, organisation=organisation)
    other = TrajectoryFactory(study=study, organisation=other_organisation)

    def member(role, trajectory=trajectory, **kwargs):
        user = UserFactory(**kwargs)
        MembershipFactory(trajectory=trajectory, user=user, role=role)
        return user

    users = {
        "coach": member(Role.COACH, first_name="Marieke", infix="van der", last_name="Linden"),
        "researcher": member(Role.RESEARCHER, first_name="Bilal", infix="", last_name="Bouzid"),
        "champion": member(Role.CHAMPION, first_name="Sanne", infix="de", last_name="Vries"),
        "buddy": member(Role.BUDDY, first_name="Jan-Willem", infix="van der", last_name="Berg"),
        "manager": member(Role.MANAGER, first_name="Fatima", infix="", last_name="El Amrani"),
        "participant": member(Role.PARTICIPANT, first_name="Noor", infix="", last_name="Jansen"),
        "outsider": member(Role.CHAMPION, trajectory=other, first_name="Yara", last_name="Tahiri"),
        "independent": UserFactory(first_name="Annemiek", infix="van den", last_name="Heuvel"),
        "staff": UserFactory(first_name="Gijs", infix="op de", last_name="Laan", is_staff=True),
    }
    StudyMembershipFactory(study=study, user=users["independent"], role=StudyRole.RESEARCHER)
    StudyMembershipFactory(study=study, user=users["researcher"], role=StudyRole.RESEARCHER)
    MembershipFactory(trajectory=other, user=users["coach"], role=Role.COACH)
    return SimpleNamespace(
        study=study,
        trajectory=trajectory,
        other=other,
        organisation=organisation,
        other_organisation=other_organisation,
        users=users,
        **users,
    )


@pytest.fixture
def world(db):
    """One study with two organisations and a person in every role.

    `trajectory` is Het Baken College's; `outsider` is the champion of the
    other organisation (ROC De Delta). `independent` is in the study's
    research team but has no role in either trajectory.
    """
    return _make_world()


@pytest.fixture
def client_for(client):
    """`client_for(user)` gives a test client logged in as `user` (None: anonymous)."""
    from django.test import Client

    def make(user):
        new_client = Client()
        if user is not None:
            new_client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return new_client

    return make


@pytest.fixture
def _demo_database(request, django_db_setup, django_db_blocker):
    """True when this test runs on the shared, already seeded demo copy."""
    with shared_demo.on_shared_copy(request, django_db_blocker) as shared:
        yield shared


@pytest.fixture
def demo_data(_demo_database, db):
    """The full `seed_demo` data set (scale 1); returns the command's output.

    Seeded once per test process and shared (see tests/demo_world.py); a test
    that commits (transactional_db, live_server) seeds its own.
    """
    return shared_demo.demo_output(_demo_database)


@pytest.fixture
def demo_world(demo_data):
    """The demo data as the role matrix sees it: `.users` by column key, `.main`, `.other`.

    Tests that write should do so in `tests.demo_world.rolled_back()`; the
    test's transaction is rolled back in any case.
    """
    return shared_demo.build_world()


@pytest.fixture(scope="session")
def deduce_model():
    """deduce reads its lookup tables once per test process (about 10 seconds)."""
    from research.pseudonymise import get_deduce

    return get_deduce()
