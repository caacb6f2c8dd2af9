"""The registry of recordings that can be transcribed.

This app sits below the apps that collect data and knows none of their
models: each app that stores audio (logbooks' voice messages, the closing
interviews of trajectories) registers an `AudioSource` from its `ready()`
saying how to find one recording by id, whose words it holds, who corrects
its transcript and who may read it. The same pattern as research's data
owners and coding sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AudioRef:
    """One recording as this app sees it."""

    file: object  # a FieldFile
    trajectory_id: int
    title: str  # e.g. "Spraakbericht logboek 2026-W05"
    occurred_on: date | None
    speaker_id: int | None  # whose words these are (for coding and withdrawal)
    audio_url: str  # the owning app's streaming view (with Range support)
    back_url: str  # the page the recording belongs to
    # Whether a user may read this recording's transcript (the owner's access rule),
    # and whether they correct and approve it (the author, the interviewer).
    readable_by: Callable[[object], bool]
    editable_by: Callable[[object], bool]


@dataclass(frozen=True)
class AudioSource:
    kind: str  # "logbook_clip", "interview"
    label: object  # lazily translated, e.g. "voice message"
    get: Callable[[int], AudioRef | None]  # None when the recording is gone
    # The consent kind the recording was made under (a `research.models.ConsentKind` value).
    consent_kind: str = ""


_sources: dict[str, AudioSource] = {}


def register_audio_source(source: AudioSource) -> None:
    _sources[source.kind] = source


def audio_source(kind: str) -> AudioSource | None:
    return _sources.get(kind)


def audio_kinds_under(consent_kind: str) -> list[str]:
    """The kinds of recording made under one kind of consent."""
    return [source.kind for source in _sources.values() if source.consent_kind == consent_kind]


def audio_ref(kind: str, audio_id: int) -> AudioRef | None:
    source = _sources.get(kind)
    return source.get(audio_id) if source else None
