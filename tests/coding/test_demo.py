from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from coding.models import Category, Code, Coding, Fragment, Memo


def test_demo_has_fragments_codes_and_codings_by_two_researchers(demo_data, client_for):
    kinds = set(Fragment.objects.values_list("kind", flat=True))
    assert {"logbook", "harvest_report", "email", "note"} <= kinds
    assert Code.objects.count() >= 5 and Category.objects.filter(parent__isnull=False).exists()
    assert Memo.objects.exists()
    coders = set(Coding.objects.values_list("coder__email", flat=True))
    assert {"onderzoeker@demo.test", "onafhankelijk@demo.test"} <= coders
    counts = (Fragment.objects.count(), Code.objects.count(), Coding.objects.count())
    call_command("seed_demo", quiet_logins=True, stdout=None)
    assert (Fragment.objects.count(), Code.objects.count(), Coding.objects.count()) == counts

    client = client_for(User.objects.get(email="onderzoeker@demo.test"))
    study = Code.objects.first().study
    coding = Coding.objects.filter(coder__email="onderzoeker@demo.test").first()
    for url in (
        reverse("coding:fragments", args=[study.pk]),
        reverse("coding:codebook", args=[study.pk]),
        reverse("coding:exports", args=[study.pk]),
        reverse("coding:fragment", args=[coding.fragment_id]),
        reverse("coding:code", args=[coding.code_id]),
        reverse("coding:matrix", args=[study.pk]),
        reverse("coding:cooccurrence", args=[study.pk]),
        reverse("coding:imports", args=[study.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_demo_researchers_can_be_compared(demo_data, client_for):
    researcher = User.objects.get(email="onderzoeker@demo.test")
    independent = User.objects.get(email="onafhankelijk@demo.test")
    study = Code.objects.first().study
    response = client_for(researcher).get(
        reverse("coding:agreement", args=[study.pk]),
        {"a": researcher.pk, "b": independent.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vergeleken fragmenten" in html and "Cohens kappa" in html
