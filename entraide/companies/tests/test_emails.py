"""Work-time emails: the manager (or HR) hears of a request, the employee of the decision."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from entraide.companies import services
from entraide.notifications.models import Notification


def test_it_emails_the_manager_when_work_time_is_requested(
    judy, ivy, hugo, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.work_time_request(employee=judy, application=application, hours="2.5")
    assert [message.to for message in mail.outbox] == [[ivy.user.email]]
    body = mail.outbox[0].body
    assert "Judy" in mail.outbox[0].subject
    assert "2,50 heures" in body  # ivy reads French: decimal comma
    assert "Meals on wheels" in body
    assert "http://testserver/" in body and "/companies/work-time/" in body


def test_it_emails_the_company_administrators_when_there_is_no_manager(
    judy, hugo, application, django_capture_on_commit_callbacks
):
    judy.manager = None
    judy.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.work_time_request(employee=judy, application=application, hours="1")
    assert [message.to for message in mail.outbox] == [[hugo.email]]
    assert "http://testserver/en/" in mail.outbox[0].body


def test_it_emails_the_employee_the_approval(
    judy, ivy, application, django_capture_on_commit_callbacks
):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    with django_capture_on_commit_callbacks(execute=True):
        services.work_time_decide(request=request, actor=ivy.user, approve=True)
    decided = [m for m in mail.outbox if m.to == [judy.user.email]]
    assert len(decided) == 1
    assert "approved" in decided[0].subject
    assert "http://testserver/en/companies/acme/me/" in decided[0].body


def test_it_emails_the_employee_the_rejection_with_its_reason(
    judy, ivy, application, django_capture_on_commit_callbacks
):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    with django_capture_on_commit_callbacks(execute=True):
        services.work_time_decide(
            request=request, actor=ivy.user, approve=False, reason="Quarter closing week"
        )
    decided = [m for m in mail.outbox if m.to == [judy.user.email]]
    assert len(decided) == 1
    assert "refused" in decided[0].subject
    assert "Quarter closing week" in decided[0].body


def test_it_queues_each_email_once_per_request(judy, ivy, application):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    services.work_time_decide(request=request, actor=ivy.user, approve=True)
    keys = sorted(Notification.objects.values_list("dedupe_key", flat=True))
    assert keys == [
        f"work_time_decided:{request.pk}",
        f"work_time_requested:{request.pk}:{ivy.user.pk}",
    ]


def test_it_sends_nothing_when_the_request_is_refused(judy, application):
    services.work_time_request(employee=judy, application=application, hours="2")
    with pytest.raises(ValidationError):
        services.work_time_request(employee=judy, application=application, hours="2")
    assert Notification.objects.count() == 1
