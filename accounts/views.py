from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from .forms import EmailAuthenticationForm, QueuedPasswordResetForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")
