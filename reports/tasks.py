from lobtraject.celery import app

from . import services

# Errors worth another try: disk or database hiccups, not bugs in a template.
TRANSIENT = (OSError, ConnectionError, TimeoutError)


# Bound to the project app, not a shared_task proxy: the proxy resolves the
# thread's current app at call time, which failed inside threaded servers.
@app.task(name="reports.tasks.build_report", bind=True, acks_late=True, max_retries=3)
def build_report(self, report_id: int) -> None:
    try:
        services.report_build(report_id=report_id)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=error, countdown=2 ** self.request.retries) from error
        services.report_mark_failed(report_id=report_id, error=error)
    except Exception as error:  # noqa: BLE001 - any other failure is shown to the user
        services.report_mark_failed(report_id=report_id, error=error)
