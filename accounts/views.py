import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from . import lockout, services
from .forms import EmailAuthenticationForm, NotificationPreferenceForm, QueuedPasswordResetForm
from .tokens import invitation_token_generator

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


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Where the invitation e-mail's link leads: the new person chooses a password."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("home")
    reset_url_token = "kies-wachtwoord"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Your password is set and you are logged in. Welcome to LOB-traject.")
        )
        return response


@login_required
def notification_preferences(request):
    """Each person chooses which notification e-mails they get, and how often."""
    preference = services.notification_preference_for(request.user)
    form = NotificationPreferenceForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        services.notification_preference_save(
            user=request.user,
            kinds_on=form.cleaned_data["kinds"],
            weekly_digest=form.cleaned_data["weekly_digest"],
        )
        messages.success(request, _("Your e-mail choices have been saved."))
        return redirect("notification_preferences")
    return render(request, "registration/notification_preferences.html", {"form": form})
