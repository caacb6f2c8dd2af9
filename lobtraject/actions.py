"""One way for POST views to call a service and report its refusal to the user:
as messages on the next page (`perform`) or on the form shown again
(`perform_on_form`)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError


def perform(request, action: Callable[[], Any], *, success: str = "") -> tuple[bool, Any]:
    """Run `action` (a service call); show each ValidationError message on the next page.

    Services refuse with Dutch ValidationErrors; a view shows those instead of
    failing. Returns (succeeded, result).
    """
    try:
        result = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on `form`: on the field it names when the
    form has that field, otherwise on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def perform_on_form(request, form, action: Callable[[], Any], *, success: str = "") -> bool:
    """Run `action` (a service call) for a valid `form`; a refusal goes onto the
    form, to be shown when the page is rendered again. True when it succeeded."""
    try:
        action()
    except ValidationError as error:
        add_errors(form, error)
        return False
    if success:
        messages.success(request, success)
    return True
