import logging

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from . import lockout
from .forms import EmailAuthenticationForm, QueuedPasswordResetForm

log = logging.getLogger("lobtraject.security")


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Axes locks one account; this is the budget of one address over all accounts.
        if lockout.address_locked(request):
            address = request.META.get("REMOTE_ADDR", "?")
            log.warning("login refused: address %s is blocked", address)
            return render(request, "registration/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")
