"""Withdrawal of consent: inside the window everything goes, after it collection stops."""

import os
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from accounts.models import User
from dialogues import services as dialogue_services
from dialogues.models import HarvestItem, HarvestReport, Invitee, ReportStatus, ReportVersion
from logbooks import services as logbook_services
from logbooks.models import AudioClip, EmailDataPoint, Entry
from research.models import Consent, Pseudonym, Withdrawal
from research.pseudonymise import person_pseudonym
from research.selectors import collection_stopped, person_for, withdrawal_window
from research.services import consent_withdraw
from research.workdays import add_working_days, is_working_day, withdrawal_deadline
from tests.dialogues.factories import DialogueSessionFactory, HarvestItemFactory, InviteeFactory
from tests.factories import give_consent
from tests.logbooks.factories import EntryFactory
from trajectories.models import HourEntry


def aware(*args):
    return timezone.make_aware(datetime(*args))


# --- working days ----------------------------------------------------------------------------


def test_a_weekend_does_not_count():
    # Friday 20 November 2026 + 5 working days = Friday 27 November.
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 27)
    assert not is_working_day(date(2026, 11, 21))
    assert is_working_day(date(2026, 11, 23))


def test_kings_day_does_not_count():
    # Interview on Friday 24 April 2026; Monday 27 April is King's Day.
    assert not is_working_day(date(2026, 4, 27))
    assert withdrawal_deadline(date(2026, 4, 24)) == date(2026, 5, 4)


def test_easter_does_not_count():
    # Thursday 2 April 2026: Good Friday and Easter Monday are holidays.
    assert withdrawal_deadline(date(2026, 4, 2)) == date(2026, 4, 13)


def test_ascension_and_christmas_do_not_count():
    assert withdrawal_deadline(date(2026, 5, 13)) == date(2026, 5, 21)
    # Thursday 24 December 2026: Christmas, the weekend and New Year's Day do not count.
    assert withdrawal_deadline(date(2026, 12, 24)) == date(2027, 1, 4)


# --- inside the window ------------------------------------------------------------------------


def _media_files():
    found = set()
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            found.add(os.path.relpath(os.path.join(root, name), settings.MEDIA_ROOT))
    return found


def _rows_mentioning(needles, *, user_id=None, invitee_ids=()):
    """Every (model, field, pk) in the whole project that still points at or names the person."""
    hits = []
    for model in apps.get_models():
        manager = model._default_manager
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey):
                target = field.related_model
                if user_id and target is User:
                    for pk in manager.filter(**{field.attname: user_id}).values_list(
                        "pk", flat=True
                    ):
                        hits.append((model._meta.label, field.name, pk))
                if invitee_ids and target is Invitee:
                    for pk in manager.filter(**{f"{field.attname}__in": invitee_ids}).values_list(
                        "pk", flat=True
                    ):
                        hits.append((model._meta.label, field.name, pk))
            elif isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                for pk, value in manager.values_list("pk", field.name):
                    text = str(value or "").lower()
                    for needle in needles:
                        if needle.lower() in text:
                            hits.append((model._meta.label, field.name, pk, needle))
    return hits


@pytest.fixture
def champion_material(world):
    """The champion (Sanne de Vries) wrote entries with audio, sent an e-mail, was interviewed."""
    champion = world.champion
    entry = EntryFactory(
        trajectory=world.trajectory,
        author=champion,
        actions="Ik sprak met mijn team over de visie.",
        submitted_at=aware(2026, 4, 20, 10),
    )
    clip = AudioClip(entry=entry, content_type="audio/ogg", size=4)
    clip.file.save("memo.ogg", ContentFile(b"OggS"), save=True)
    email = EmailDataPoint(
        trajectory=world.trajectory,
        occurred_on=date(2026, 4, 21),
        created_by=world.researcher,
        sender=f"Sanne de Vries <{champion.email}>",
        recipients="team@baken.test",
        subject="Plannen voor de studiedag",
        body="Beste collega's, groet Sanne",
    )
    email.raw.save("message.eml", ContentFile(b"From: sanne"), save=True)
    give_consent(
        user=champion, trajectory=world.trajectory, kind="interview", at=aware(2026, 2, 1, 9)
    )
    interview = None
    ClosingInterview = apps.get_model("trajectories", "ClosingInterview")
    interview = ClosingInterview(
        trajectory=world.trajectory,
        interviewee=champion,
        interviewee_role="champion",
        interviewer=world.independent,
        planned_at=aware(2026, 4, 24, 14),
        status="held",
        notes="Sanne vertelde over de startdialoog.",
    )
    interview.audio.save("interview.ogg", ContentFile(b"OggS"), save=False)
    interview.save()
    # Someone else's entry that mentions her stays, without her name.
    other = EntryFactory(
        trajectory=world.trajectory,
        author=world.buddy,
        actions="Met Sanne de Vries (sanne's idee) de studiedag voorbereid.",
    )
    # Coding: a fragment of her entry (hers) and one of her e-mail (source only), coded.
    Fragment = apps.get_model("coding", "Fragment")
    Code = apps.get_model("coding", "Code")
    Coding = apps.get_model("coding", "Coding")
    code = Code.objects.create(study=world.study, name="Visie", created_by=world.researcher)
    fragments = [
        Fragment.objects.create(
            trajectory=world.trajectory,
            kind="logbook",
            source_id=entry.pk,
            title="Logboek",
            text="Ik sprak met mijn team over de visie.",
            user=champion,
        ),
        Fragment.objects.create(
            trajectory=world.trajectory,
            kind="email",
            source_id=email.pk,
            title="E-mail",
            text="Beste collega's, groet Aanjager 1",
        ),
    ]
    for fragment in fragments:
        Coding.objects.create(fragment=fragment, code=code, start=0, end=4, coder=world.researcher)
    # A summary PDF built earlier copied her words; a report of elsewhere stays.
    from reports.models import Report

    summary = Report(kind="summary", object_id=world.trajectory.pk, title="Samenvatting", year=2026)
    summary.file.save("summary.pdf", ContentFile(b"%PDF Sanne"), save=True)
    elsewhere = Report.objects.create(
        kind="summary", object_id=world.other.pk, title="Elders", year=2026
    )
    return {
        "summary": summary,
        "elsewhere": elsewhere,
        "entry": entry,
        "clip": clip,
        "email": email,
        "interview": interview,
        "other": other,
        "code": code,
    }


def test_within_the_window_every_row_and_file_of_the_person_goes(
    world, champion_material, django_capture_on_commit_callbacks
):
    champion = world.champion
    label = person_pseudonym(user=champion)
    files = {
        champion_material["summary"].file.name,
        champion_material["clip"].file.name,
        champion_material["email"].raw.name,
        champion_material["interview"].audio.name,
    }
    assert files <= _media_files()
    user_id, email = champion.pk, champion.email

    # Interview Friday 24 April; King's Day; Monday 4 May is the fifth working day.
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = consent_withdraw(
            user=champion,
            requested_by=world.researcher,
            at=aware(2026, 5, 4, 16),
            trajectory=world.trajectory,
        )

    assert withdrawal.within_window
    assert withdrawal.reference_date == date(2026, 4, 24)
    assert withdrawal.deadline == date(2026, 5, 4)
    assert withdrawal.user_id is None
    assert withdrawal.pseudonym_label == label
    assert not User.objects.filter(pk=user_id).exists()
    assert not Entry.objects.filter(pk=champion_material["entry"].pk).exists()
    assert not EmailDataPoint.objects.exists()
    assert not (files & _media_files())
    from reports.models import Report

    assert list(Report.objects.all()) == [champion_material["elsewhere"]]
    assert not apps.get_model("coding", "Fragment").objects.exists()
    assert not apps.get_model("coding", "Coding").objects.exists()
    assert apps.get_model("coding", "Code").objects.filter(pk=champion_material["code"].pk).exists()
    assert _rows_mentioning(["Sanne", "Vries", email], user_id=user_id) == []
    other = Entry.objects.get(pk=champion_material["other"].pk)
    assert other.actions == f"Met {label} ({label}'s idee) de studiedag voorbereid."
    # The key keeps the number, not the person.
    row = Pseudonym.objects.get(kind="champion", number=int(label.split()[-1]))
    assert row.user_id is None and row.email is None and row.erased_at


def test_an_account_that_signed_or_logged_hours_is_anonymised_not_deleted(world):
    HourEntry.objects.create(
        trajectory=world.trajectory,
        user=world.champion,
        date=date(2026, 3, 2),
        activity="call",
        hours=Decimal("1.5"),
    )
    EntryFactory(
        trajectory=world.trajectory, author=world.champion, submitted_at=aware(2026, 3, 2, 9)
    )
    address = world.champion.email
    consent_withdraw(user=world.champion, requested_by=world.researcher, at=aware(2026, 3, 3, 9))
    champion = User.objects.get(pk=world.champion.pk)
    assert (champion.first_name, champion.last_name, champion.is_active) == ("", "", False)
    assert not champion.has_usable_password()
    assert not Entry.objects.filter(author=champion).exists()
    assert not champion.memberships.exists()
    hits = _rows_mentioning(["Sanne", "Vries", address], user_id=champion.pk)
    assert {hit[0] for hit in hits} == {"trajectories.HourEntry"}


def test_an_invitee_withdrawing_in_time_loses_harvest_consent_and_approvals(world):
    session = DialogueSessionFactory(trajectory=world.trajectory, starts_at=aware(2026, 11, 20, 14))
    guest = InviteeFactory(session=session, name="Fatima El Amrani", email="fatima@gast.test")
    second = DialogueSessionFactory(trajectory=world.trajectory, starts_at=aware(2026, 10, 1, 14))
    again = InviteeFactory(session=second, name="Fatima El Amrani", email="FATIMA@gast.test")
    dialogue_services.consent_record(invitee=guest, agreed=True)
    HarvestItemFactory(invitee=guest, text="Ik wil meer tijd voor gesprekken.")
    HarvestItemFactory(invitee=again, text="Mijn mentorleerlingen vragen veel.")
    kept = HarvestItemFactory(session=session, invitee=InviteeFactory(session=session))
    report = HarvestReport.objects.create(session=session, status=ReportStatus.PENDING)
    version = ReportVersion.objects.create(
        report=report, number=1, body="Fatima El Amrani noemde tijd als knelpunt."
    )
    dialogue_services.report_answer(invitee=guest, version_id=version.pk, decision="approve")

    withdrawal = consent_withdraw(
        invitee=guest, requested_by=world.researcher, at=aware(2026, 11, 27, 12)
    )

    assert withdrawal.within_window
    assert withdrawal.trajectory == world.trajectory
    assert not Invitee.objects.filter(pk__in=[guest.pk, again.pk]).exists()
    assert list(HarvestItem.objects.all()) == [kept]
    hits = _rows_mentioning(
        ["Fatima", "Amrani", "fatima@gast.test"], invitee_ids=[guest.pk, again.pk]
    )
    # The manager of the world is also called Fatima El Amrani: only her account may remain.
    assert {hit[0] for hit in hits} <= {"accounts.User", "research.Consent"}
    assert not Consent.objects.filter(email="fatima@gast.test").exists()
    assert withdrawal.pseudonym_label in ReportVersion.objects.get().body
    # A new invitation of the same address is refused.
    with pytest.raises(ValidationError):
        dialogue_services.invitee_add(
            session=session, name="F. El Amrani", email="fatima@gast.test"
        )


# --- after the window ----------------------------------------------------------------------


@pytest.fixture
def late_withdrawal(world):
    old = EntryFactory(
        trajectory=world.trajectory, author=world.champion, submitted_at=aware(2026, 3, 2, 9)
    )
    withdrawal = consent_withdraw(
        user=world.champion, requested_by=world.researcher, at=aware(2026, 3, 10, 9)
    )
    return old, withdrawal


def test_after_the_window_old_data_stay(world, late_withdrawal):
    old, withdrawal = late_withdrawal
    assert not withdrawal.within_window
    assert withdrawal.deadline == date(2026, 3, 9)
    assert withdrawal.user == world.champion
    assert Entry.objects.filter(pk=old.pk).exists()
    assert User.objects.get(pk=world.champion.pk).is_active
    assert collection_stopped(user=world.champion)
    assert not collection_stopped(user=world.buddy)


def test_after_the_window_the_logbook_refuses_new_data(world, late_withdrawal, client_for):
    old, _withdrawal = late_withdrawal
    entry = logbook_services.entry_for_week(
        author=world.champion,
        trajectory=world.trajectory,
        iso_year=2026,
        iso_week=20,
        role="champion",
    )
    with pytest.raises(ValidationError):
        logbook_services.entry_save(entry=entry, editor=world.champion, data={"actions": "Nieuw"})
    with pytest.raises(ValidationError):
        logbook_services.entry_save(entry=old, editor=world.champion, data={"actions": "Anders"})
    assert Entry.objects.filter(author=world.champion).count() == 1
    with pytest.raises(ValidationError):
        logbook_services.audio_add(entry=old, uploaded=ContentFile(b"OggS", name="a.ogg"))


def test_after_the_window_reminders_skip_the_person(world, late_withdrawal):
    thursday = aware(2026, 11, 26, 17)
    logbook_services.send_due_reminders(thursday)
    recipients = {address for message in mail.outbox for address in message.to}
    assert world.buddy.email in recipients
    assert world.champion.email not in recipients


def test_after_the_window_dialogues_refuse_and_stop_mailing(world):
    session = DialogueSessionFactory(trajectory=world.trajectory, starts_at=aware(2026, 3, 2, 14))
    guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
    other = InviteeFactory(session=session, name="Noor Jansen", email="noor@gast.test")
    for invitee in (guest, other):
        dialogue_services.consent_record(invitee=invitee, agreed=True)
    item = HarvestItemFactory(invitee=guest, text="Oude oogst")
    consent_withdraw(invitee=guest, requested_by=world.researcher, at=aware(2026, 3, 20, 9))

    assert HarvestItem.objects.filter(pk=item.pk).exists()
    with pytest.raises(ValidationError):
        dialogue_services.harvest_item_add(invitee=guest, text="Nog iets")
    with pytest.raises(ValidationError):
        dialogue_services.invitee_add(
            session=DialogueSessionFactory(), name="Kees", email="kees@gast.test"
        )
    report = HarvestReport.objects.create(session=session, status=ReportStatus.PENDING)
    ReportVersion.objects.create(
        report=report, number=1, body="Verslag", submitted_at=timezone.now()
    )
    mail.outbox.clear()
    assert dialogue_services.report_reminders_send() == 1
    assert [message.to for message in mail.outbox] == [["noor@gast.test"]]
    # The approval round no longer waits for them.
    with pytest.raises(ValidationError):
        dialogue_services.report_answer(
            invitee=guest, version_id=report.versions.get().pk, decision="approve"
        )
    dialogue_services.report_answer(
        invitee=other, version_id=report.versions.get().pk, decision="approve"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL


def test_withdrawing_twice_is_refused(world, late_withdrawal):
    with pytest.raises(ValidationError):
        consent_withdraw(user=world.champion, requested_by=world.researcher)
    assert Withdrawal.objects.count() == 1


def test_someone_who_gave_nothing_yet_is_inside_the_window(world):
    status = withdrawal_window(person_for(user=world.manager), aware(2026, 6, 1, 9))
    assert status.within and status.reference_date is None


def test_after_the_window_no_closing_interview_is_planned_or_filled(world, late_withdrawal):
    from trajectories import services as trajectory_services
    from trajectories.models import ClosingInterview

    with pytest.raises(ValidationError) as refused:
        trajectory_services.closing_interview_plan(
            trajectory=world.trajectory,
            interviewee=world.champion,
            interviewer=world.independent,
            planned_at=aware(2026, 11, 30, 10),
            place="Kamer 12",
        )
    assert "interviewee" in refused.value.message_dict
    planned = trajectory_services.closing_interview_plan(
        trajectory=world.trajectory,
        interviewee=world.buddy,
        interviewer=world.independent,
        planned_at=aware(2026, 11, 30, 11),
        place="Kamer 12",
    )
    assert planned.pk
    # An interview planned before the withdrawal takes no new answers either.
    earlier = ClosingInterview.objects.create(
        trajectory=world.trajectory,
        interviewee=world.champion,
        interviewee_role="champion",
        interviewer=world.independent,
        planned_at=aware(2026, 3, 1, 10),
    )
    with pytest.raises(ValidationError):
        trajectory_services.closing_interview_save_answers(
            interview=earlier, by=world.independent, notes="Nieuwe aantekening"
        )


# --- nobody else's data -------------------------------------------------------------------


def _email_from(world, sender, subject):
    email = EmailDataPoint(
        trajectory=world.trajectory,
        occurred_on=date(2026, 4, 28),
        created_by=world.researcher,
        sender=sender,
        recipients="team@baken.test",
        subject=subject,
        body="Groeten",
    )
    email.raw.save("message.eml", ContentFile(b"From: x"), save=True)
    return email


def test_withdrawal_removes_no_row_of_someone_with_an_overlapping_address_or_name(
    world, django_capture_on_commit_callbacks
):
    """persoon2@… withdraws; xpersoon2@…, persoon2@….nl and Anske Bakkeren keep everything."""
    from tests.factories import MembershipFactory, UserFactory

    ans = UserFactory(email="persoon2@overlap.test", first_name="Ans", infix="", last_name="Bakker")
    namesake = UserFactory(
        email="xpersoon2@overlap.test", first_name="Anske", infix="", last_name="Bakkeren"
    )
    for user in (ans, namesake):
        MembershipFactory(trajectory=world.trajectory, user=user, role="buddy")
    own_entry = EntryFactory(
        trajectory=world.trajectory, author=ans, actions="Eigen", submitted_at=aware(2026, 4, 30, 9)
    )
    their_entry = EntryFactory(
        trajectory=world.trajectory,
        author=namesake,
        actions="Anske Bakkeren sprak met Ans Bakker.",
        submitted_at=aware(2026, 4, 30, 10),
    )
    own_email = _email_from(world, "Ans Bakker <PERSOON2@overlap.test>", "Van Ans")
    kept_emails = [
        _email_from(world, "Anske Bakkeren <xpersoon2@overlap.test>", "Van de naamgenoot"),
        _email_from(world, "persoon2@overlap.test.nl", "Ander domein"),
        _email_from(world, "Ans <persoon2@overlap.testen>", "Nog een domein"),
    ]
    session = DialogueSessionFactory(trajectory=world.trajectory, starts_at=aware(2026, 4, 29, 14))
    own_invitation = InviteeFactory(session=session, name="Ans Bakker", email=ans.email)
    kept_invitation = InviteeFactory(
        session=session, name="Anske Bakkeren", email="xpersoon2@overlap.test"
    )
    kept_item = HarvestItemFactory(invitee=kept_invitation, text="Mijn inzicht")
    Fragment = apps.get_model("coding", "Fragment")
    kept_fragments = [
        Fragment.objects.create(
            trajectory=world.trajectory, kind="email", source_id=email.pk, title="E-mail",
            text="Groeten",
        )
        for email in kept_emails
    ] + [
        Fragment.objects.create(
            trajectory=world.trajectory, kind="logbook", source_id=their_entry.pk,
            title="Logboek", text="Docent sprak met Docent.", user=namesake,
        )
    ]
    label = person_pseudonym(user=ans)
    namesake_label = person_pseudonym(user=namesake)

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = consent_withdraw(
            user=ans, requested_by=world.researcher, at=aware(2026, 5, 4, 9),
            trajectory=world.trajectory,
        )

    assert withdrawal.within_window
    assert not User.objects.filter(pk=ans.pk).exists()
    assert not Entry.objects.filter(pk=own_entry.pk).exists()
    assert not EmailDataPoint.objects.filter(pk=own_email.pk).exists()
    assert not Invitee.objects.filter(pk=own_invitation.pk).exists()
    assert withdrawal.summary["removed"]["emails"] == 1
    # Everything of the others is still there, files included.
    namesake.refresh_from_db()
    assert (namesake.email, namesake.first_name, namesake.last_name) == (
        "xpersoon2@overlap.test", "Anske", "Bakkeren"
    )
    assert set(EmailDataPoint.objects.values_list("pk", flat=True)) == {e.pk for e in kept_emails}
    for email in kept_emails:
        assert email.raw.name in _media_files()
    assert Invitee.objects.filter(pk=kept_invitation.pk).exists()
    assert HarvestItem.objects.filter(pk=kept_item.pk).exists()
    assert set(Fragment.objects.values_list("pk", flat=True)) == {f.pk for f in kept_fragments}
    assert Pseudonym.objects.get(user=namesake).label == namesake_label
    # In the namesake's own words only the withdrawn person's name is replaced.
    their_entry.refresh_from_db()
    assert their_entry.actions == f"Anske Bakkeren sprak met {label}."


def test_withdrawing_an_invitee_leaves_invitations_of_overlapping_addresses(world):
    session = DialogueSessionFactory(trajectory=world.trajectory, starts_at=aware(2026, 4, 29, 14))
    guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
    others = [
        InviteeFactory(session=session, name="Kees van Dammen", email="xkees@gast.test"),
        InviteeFactory(session=session, name="Kees Dam", email="kees@gast.test.nl"),
    ]
    items = [HarvestItemFactory(invitee=invitee) for invitee in [guest, *others]]
    sender = _email_from(world, "Kees van Dammen <xkees@gast.test>", "Van de ander")

    withdrawal = consent_withdraw(
        invitee=guest, requested_by=world.researcher, at=aware(2026, 4, 30, 9)
    )

    assert withdrawal.within_window
    assert not Invitee.objects.filter(pk=guest.pk).exists()
    assert set(Invitee.objects.values_list("pk", flat=True)) == {o.pk for o in others}
    assert set(HarvestItem.objects.values_list("pk", flat=True)) == {i.pk for i in items[1:]}
    assert EmailDataPoint.objects.filter(pk=sender.pk).exists()
