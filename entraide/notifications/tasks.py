"""Background work for notifications, run by the task worker."""

from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row (a no-op when it was already sent or is being sent)."""
    from entraide.notifications import delivery

    return delivery.deliver(notification_id)
