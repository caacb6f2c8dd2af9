"""Recognise audio files by their first bytes, not by their name.

A dozen lines of magic-number checks cover the formats we accept; no extra
dependency (or libmagic) is needed for that.
"""

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
