from lobtraject.celery import app

from . import services

# Errors worth another try: disk or database hiccups, not bugs.
TRANSIENT = (OSError, ConnectionError, TimeoutError)


@app.task(name="coding.tasks.build_export", bind=True, acks_late=True, max_retries=3)
def build_export(self, export_id: int) -> None:
    try:
        services.export_build(export_id=export_id)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=error, countdown=2 ** self.request.retries) from error
        services.export_mark_failed(export_id=export_id, error=error)
    except Exception as error:  # noqa: BLE001 - any other failure is shown to the researcher
        services.export_mark_failed(export_id=export_id, error=error)


@app.task(name="coding.tasks.check_fragment_names", bind=True, acks_late=True, max_retries=3)
def check_fragment_names(self, fragment_ids: list[int]) -> None:
    try:
        services.fragments_check_names(fragment_ids=fragment_ids)
    except TRANSIENT as error:
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=2 ** self.request.retries) from error
