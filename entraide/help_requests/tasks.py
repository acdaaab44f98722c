"""Background work for help requests, run by the task worker."""

from django_tasks import task


@task()
def help_request_dispatch(help_request_id: int) -> None:
    """Send the next notification wave for a request (no-op when none is due)."""
    from entraide.help_requests import dispatch

    dispatch.dispatch_next_wave(help_request_id)
