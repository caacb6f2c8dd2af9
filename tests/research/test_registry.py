"""What research knows of the apps above it comes only through its registries."""

from research.models import ConsentKind
from research.registry import DataOwner, Stage, data_owners, register_data_owner
from research.sources import SourceKind, coding_sources


def test_every_app_holding_personal_data_registers_its_eraser_once():
    modules = [type(owner).__module__ for owner in data_owners()]
    assert sorted(modules) == [
        "coding.erasers",
        "dialogues.erasers",
        "logbooks.erasers",
        "reports.erasers",
        "research.erasers",
        "trajectories.erasers",
        "transcripts.erasers",
    ]
    # Registering again (a second ready()) adds nothing.
    register_data_owner(type(data_owners()[0])())
    assert len(data_owners()) == len(modules)


def test_erasure_runs_from_what_was_made_of_the_data_down_to_the_data():
    stages = {type(owner).__module__: owner.stage for owner in data_owners()}
    assert stages["reports.erasers"] == Stage.DERIVED
    assert stages["coding.erasers"] == Stage.CODED
    assert {stages[m] for m in ("trajectories.erasers", "dialogues.erasers", "logbooks.erasers",
                                "transcripts.erasers")} == {
        Stage.COLLECTED
    }
    assert DataOwner.stage == Stage.COLLECTED


def test_every_kind_of_research_text_has_one_registered_source_in_kind_order():
    assert [source.kind for source in coding_sources()] == list(SourceKind.values)
    # The sources whose rows are a person's own words say which rows those are.
    with_rows = {source.kind for source in coding_sources() if source.rows_of}
    assert with_rows == {
        SourceKind.HARVEST_ITEM, SourceKind.LOGBOOK, SourceKind.INTERVIEW, SourceKind.TRANSCRIPT,
        SourceKind.EMAIL, SourceKind.COACH_INTERVIEW, SourceKind.RECRUITMENT, SourceKind.NOTE,
    }
    # Each says the consent it was given under, so a withdrawal of one kind finds its
    # fragments; transcripts decide per recording (a voice message or an interview).
    assert {source.kind for source in coding_sources() if not source.consent_kind} == {
        SourceKind.TRANSCRIPT
    }
    assert {source.consent_kind for source in coding_sources()} - {""} == set(ConsentKind.values)
