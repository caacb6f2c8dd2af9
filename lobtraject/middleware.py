"""Project-wide middleware: Dutch-first language choice, security headers, the 405 page."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

# Scripts and styles come only from our own static files, so no inline script
# can run even if some text slipped through unescaped.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class DutchFirstLocaleMiddleware:
    """Activate the language the person chose, otherwise Dutch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header;
    our users are Dutch teachers whose browsers are often set to English, and
    the product promises a Dutch interface unless someone switches it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), geolocation=(), microphone=(self)"
        )
        return response


class MethodNotAllowedPageMiddleware:
    """Django answers a GET on a POST-only view with an empty 405, which a
    browser shows as a bare "HTTP ERROR 405"; show the site's own page instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            if "Allow" in response.headers:
                page.headers["Allow"] = response.headers["Allow"]
            return page
        return response
