"""The start agreement: reading, editing and signing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import add_errors, perform

from .. import access, selectors, services
from ..access import Capability
from ..forms import (
    StartAgreementForm,
)
from ..goals import Goal
from ..models import (
    SEED_DUTIES,
    Duty,
    SignatureParty,
)

# --- start agreement --------------------------------------------------------------


@login_required
def agreement(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_START_AGREEMENT)
    current = selectors.current_agreement(trajectory)
    signatures = {s.party: s for s in current.signatures.all()} if current else {}
    signable = []
    if current and not current.is_locked:
        signable = [
            SignatureParty(party)
            for party in access.signable_parties(request.user, trajectory)
            if party not in signatures
        ]
    return render(
        request,
        "trajectories/agreement.html",
        {
            "trajectory": trajectory,
            "agreement": current,
            "signature_rows": [
                {"label": party.label, "signature": signatures.get(party.value)}
                for party in SignatureParty
            ],
            "duty_labels": [
                Duty(d).label for d in (current.duties if current else []) if d in Duty.values
            ],
            "goals": [goal.label for goal in Goal],
            "signable": signable,
            "missing_logbook_duty": current is not None
            and Duty.LOGBOOK not in (current.duties or []),
            "can_edit": access.can(request.user, Capability.EDIT_PLAN, trajectory),
            "print": request.GET.get("afdruk") == "1",
        },
    )


@login_required
def agreement_edit(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    current = selectors.current_agreement(trajectory)
    # A first agreement starts with the seed's six duties ticked.
    initial = {} if current else {"duties": [str(duty) for duty in SEED_DUTIES]}
    form = StartAgreementForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_save(
                trajectory=trajectory,
                **{name: form.cleaned_data[name] for name in StartAgreementForm.Meta.fields},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The start agreement has been saved."))
            return redirect("trajectories:agreement", pk=trajectory.pk)
    return render(
        request,
        "trajectories/agreement_form.html",
        {"trajectory": trajectory, "form": form, "agreement": current},
    )


@login_required
@require_POST
def agreement_sign(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_START_AGREEMENT)
    party = request.POST.get("party", "")
    if party not in access.signable_parties(request.user, trajectory):
        raise PermissionDenied
    current = selectors.current_agreement(trajectory)
    if current is None:
        raise Http404
    perform(
        request,
        lambda: services.agreement_sign(agreement=current, party=party, user=request.user),
        success=_("You have signed the start agreement."),
    )
    return redirect("trajectories:agreement", pk=trajectory.pk)
