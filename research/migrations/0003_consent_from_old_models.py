"""Copy the consents of the old models into the consent per person, trajectory and kind.

Before, a dialogue invitee's answer lived in `dialogues.Consent` and a member's
(recorded by a researcher) in `research.ResearchConsent`, both against the one
dialogue text (`dialogues.ConsentText`). Each old text version becomes that
version of every kind (version 1: the text people actually saw); the current
texts per kind are newer versions, so everyone is asked again for new data,
while what they gave under the old text stays covered.

A member's old consent becomes a consent of the kinds their role gives data of;
an invitee's becomes a dialogue consent. Every copy is marked "migrated".
"""

from django.db import migrations

KINDS = ("dialogue", "logbook", "interview", "notes")
KINDS_BY_ROLE = {
    "champion": ("logbook", "interview", "notes"),
    "buddy": ("logbook", "interview", "notes"),
    "coach": ("logbook", "interview", "notes"),
    "manager": ("interview", "notes"),
    "participant": ("dialogue", "notes"),
}


def full_name(user) -> str:
    return " ".join(part for part in (user.first_name, user.infix, user.last_name) if part)


def copy_forward(apps, schema_editor):
    OldText = apps.get_model("dialogues", "ConsentText")
    OldDialogueConsent = apps.get_model("dialogues", "Consent")
    OldResearchConsent = apps.get_model("research", "ResearchConsent")
    Membership = apps.get_model("trajectories", "Membership")
    Text = apps.get_model("research", "ConsentText")
    Consent = apps.get_model("research", "Consent")

    texts = {}
    for old in OldText.objects.all():
        for kind in KINDS:
            texts[(kind, old.pk)] = Text.objects.get_or_create(
                kind=kind, version=old.version, defaults={"body": old.body}
            )[0]

    roles = {}
    for user_id, trajectory_id, role in Membership.objects.values_list(
        "user_id", "trajectory_id", "role"
    ):
        roles.setdefault((user_id, trajectory_id), set()).add(role)

    new = []
    for old in OldResearchConsent.objects.select_related("user").order_by("at", "id"):
        kinds = set()
        for role in roles.get((old.user_id, old.trajectory_id), set()):
            kinds |= set(KINDS_BY_ROLE.get(role, ()))
        for kind in sorted(kinds or {"notes"}):
            new.append(
                Consent(
                    trajectory_id=old.trajectory_id,
                    kind=kind,
                    user_id=old.user_id,
                    email=old.user.email.strip().lower(),
                    name=full_name(old.user),
                    text=texts[(kind, old.text_id)],
                    agreed=old.agreed,
                    at=old.at,
                    via="migrated",
                    recorded_by_id=old.recorded_by_id,
                )
            )
    for old in OldDialogueConsent.objects.select_related("invitee").order_by("at", "id"):
        new.append(
            Consent(
                trajectory_id=old.trajectory_id,
                kind="dialogue",
                user_id=old.user_id or old.invitee.user_id,
                email=old.invitee.email.strip().lower(),
                name=old.invitee.name,
                text=texts[("dialogue", old.text_id)],
                agreed=old.agreed,
                at=old.at,
                via="migrated",
            )
        )
    Consent.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("research", "0002_consent_per_kind"),
        ("dialogues", "0002_invitee_unique_message"),
        ("trajectories", "0004_phase4_closing"),
    ]

    operations = [migrations.RunPython(copy_forward, migrations.RunPython.noop)]
