"""The research audit log: one call per action the research team must account for.

    from research.audit import audit_record
    audit_record(request.user, AuditAction.EXPORT, target=f"export:{export.pk}",
                 detail={"format": "qdpx"}, study=export.study)

`action` is an `AuditAction` value (or its string). `target` and `detail`
must not hold real names or text: ids, pseudonyms, codes and counts only.
"""

from __future__ import annotations

from .models import AuditAction, AuditEvent


def audit_record(
    actor,
    action: AuditAction | str,
    target: str = "",
    detail: dict | None = None,
    *,
    trajectory=None,
    study=None,
) -> AuditEvent:
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    if study is None and trajectory is not None:
        study = getattr(trajectory, "study", None)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target=str(target)[:200],
        detail=detail or {},
        trajectory=trajectory,
        study=study,
    )
