"""Recognise audio files by their first bytes, not by their name.

A dozen lines of magic-number checks cover the formats we accept; no extra
dependency (or libmagic) is needed for that. ``check_upload`` is the one check
every audio upload (logbook voice messages, closing-interview recordings) goes
through.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

AUDIO_TYPES = {
    "webm": ("audio/webm", ".webm"),
    "ogg": ("audio/ogg", ".ogg"),
    "mp4": ("audio/mp4", ".m4a"),
    "mp3": ("audio/mpeg", ".mp3"),
    "wav": ("audio/wav", ".wav"),
}


def sniff_audio(head: bytes) -> str | None:
    """The audio kind ("webm", "ogg", "mp4", "mp3", "wav") of a file starting with `head`."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"ID3"):
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06):
        return "mp3"
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    return None


def max_audio_bytes() -> int:
    return settings.LOGBOOK_AUDIO_MAX_BYTES


def check_upload(uploaded) -> tuple[str, str]:
    """(content type, file suffix) of an uploaded recording, or a Dutch ValidationError.

    Checks the size limit and the real content (first bytes), never the name.
    """
    limit = max_audio_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            _("The audio file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    kind = sniff_audio(head)
    if kind is None:
        raise ValidationError(
            _("This file is not a sound recording we can use (webm, ogg, m4a, mp3 or wav).")
        )
    return AUDIO_TYPES[kind]
