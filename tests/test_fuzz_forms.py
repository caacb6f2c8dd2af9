"""Every form class of the project's apps, fed generated input.

Validation must never raise (a crash in a clean method is a 500 on the page),
and every error message must be translated: the same input validated in Dutch
and in English must give different messages, otherwise the Dutch user reads
English (or a message nobody translated).
"""

from __future__ import annotations

import importlib
import inspect
import os

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import fuzzing

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("LOB_FUZZ_EXAMPLES", "6"))
PROJECT_APPS = ("accounts", "trajectories", "dialogues", "logbooks", "reports", "lobtraject")


def project_form_classes() -> list[type]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_APPS):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.forms":
                raise
            continue
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                found.append(value)
    return found


def constructor_arguments(form_class, world) -> tuple[dict, list[str]]:
    """Keyword arguments a form needs besides data/files, from the world; and what is unknown."""
    from accounts.models import NotificationPreference, User
    from trajectories.models import Role, Study

    known = {
        "preference": NotificationPreference(user=world.champion),
        "roles": list(Role.values),
        "studies": Study.objects.all(),
        "trajectory": world.trajectory,
        "request": None,
        "candidates": User.objects.all(),
        "interviewees": world.trajectory.memberships.select_related("user"),
        "interviewers": User.objects.all(),
    }
    kwargs, unknown = {}, []
    for name, parameter in inspect.signature(form_class.__init__).parameters.items():
        if name in ("self", "data", "files") or parameter.kind in (
            parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD
        ):
            continue
        if parameter.default is not parameter.empty:
            if name in known and name != "request":
                kwargs[name] = known[name]
            continue
        if name in known:
            kwargs[name] = known[name]
        else:
            unknown.append(name)
    return kwargs, unknown


def field_value(draw, field):
    if isinstance(field, forms.FileField):
        content = draw(st.sampled_from([b"", b"\x00" * 32, b"RIFF\x00\x00WAVE", b"x" * 2048]))
        name = draw(st.sampled_from(["a.wav", "../x.eml", "\u202egpj.exe", "a" * 300]))
        return SimpleUploadedFile(name, content)
    choices = []
    if hasattr(field, "choices"):
        try:
            choices = [str(value) for value, _label in field.choices][:20]
        except Exception:  # noqa: BLE001 - a queryset choice list may need more context
            choices = []
    value = draw(st.one_of(st.sampled_from(choices), fuzzing.text_values()) if choices else fuzzing.text_values())
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [value]
    return value


def validate(form_class, kwargs, data, files, language):
    with translation.override(language):
        form = form_class(data=data, files=files, **kwargs)
        form.is_valid()
        return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def fuzz_form(form_class, kwargs, fields, found: list[str], label: str):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def check(data):
        if found:
            return
        values, files = {}, {}
        for name, field in fields.items():
            if data.draw(st.integers(0, 7)) == 0:
                continue  # missing
            value = field_value(data.draw, field)
            (files if isinstance(value, SimpleUploadedFile) else values)[name] = value
        try:
            dutch = validate(form_class, kwargs, values, files, "nl")
            for upload in files.values():
                upload.seek(0)
            english = validate(form_class, kwargs, values, files, "en")
        except Exception as error:  # noqa: BLE001 - any crash is the finding
            found.append(f"{label}: {type(error).__name__}: {error!s:.200} for {sorted(values)}")
            return
        for name, messages in dutch.items():
            for message in messages:
                if fuzzing.english_in(message):
                    found.append(f"{label}.{name}: English message {message!r}")
                elif message in english.get(name, []) and sum(c.isalpha() for c in message) > 3:
                    found.append(f"{label}.{name}: untranslated message {message!r}")

    return check


def test_every_form_validates_generated_input_without_crashing_and_in_dutch(world):
    classes = project_form_classes()
    assert len(classes) >= 30, [c.__name__ for c in classes]
    failures: list[str] = []
    for form_class in classes:
        kwargs, unknown = constructor_arguments(form_class, world)
        label = f"{form_class.__module__}.{form_class.__name__}"
        if unknown:
            failures.append(f"{label}: add constructor arguments {unknown} to constructor_arguments()")
            continue
        fields = form_class(**kwargs).fields
        found: list[str] = []

        fuzz_form(form_class, kwargs, fields, found, label)()
        failures.extend(found[:1])
    assert not failures, "\n".join(failures)
