"""One way for POST views to call a service and report its refusal to the user."""

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
