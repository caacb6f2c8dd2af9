import pytest
from django.utils import timezone


@pytest.fixture
def this_week():
    year, week, _day = timezone.localdate().isocalendar()
    return year, week


@pytest.fixture
def write_url(world, this_week):
    year, week = this_week
    return f"/logboek/{world.trajectory.pk}/week/{year}/{week}/"
