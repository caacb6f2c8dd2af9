from django.core.management import call_command

from dialogues.models import DialogueSession, ReportStatus


def test_seed_demo_has_a_finished_and_a_pending_dialogue(demo_data):
    sessions = DialogueSession.objects.select_related("report").order_by("starts_at")
    assert [s.report.status for s in sessions] == [ReportStatus.FINAL, ReportStatus.PENDING]
    finished, pending = sessions
    assert finished.harvest_items.count() >= 5
    assert finished.report.versions.count() == 2
    assert pending.invitees.filter(user__email="deelnemer@demo.test").exists()
    call_command("seed_demo", quiet_logins=True)
    assert DialogueSession.objects.count() == 2
