from django import template

from ..selectors import transcript_for

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """12.4 → "0:12"; 3725 → "1:02:05"."""
    try:
        total = int(float(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.inclusion_tag("transcripts/_link.html")
def transcript_link(kind, audio_id):
    """The state of a recording's transcript with a link to it (one query)."""
    return {"transcript": transcript_for(kind, audio_id)}
