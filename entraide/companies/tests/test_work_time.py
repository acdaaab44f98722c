"""Joining a company, the work-time allowance and who may approve work time."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from entraide.companies import selectors, services
from entraide.companies.models import Employee, WorkTimeRequest
from entraide.core.errors import ConflictError, DomainError
from entraide.missions.models import Application
from entraide.missions.tests.factories import ApplicationFactory, MissionSlotFactory
from entraide.testing.factories import UserFactory


def test_it_joins_a_company_with_its_code(acme):
    user = UserFactory.create()
    employee = services.employee_join(user=user, code=" acme-secret-code ")
    assert employee.company == acme
    assert services.employee_join(user=user, code="acme-secret-code") == employee
    assert Employee.objects.filter(user=user).count() == 1


def test_it_refuses_a_wrong_code(acme):
    with pytest.raises(ValidationError) as excinfo:
        services.employee_join(user=UserFactory.create(), code="acme-secret-cod")
    assert "code" in excinfo.value.message_dict
    assert not Employee.objects.exists()


def test_it_joins_by_a_verified_email_domain_only(acme):
    verified = UserFactory.create(email="lea@ACME.example")
    assert services.employee_join_by_email(user=verified, company=acme).company == acme
    unverified = UserFactory.create(email="max@acme.example", email_verified_at=None)
    with pytest.raises(DomainError):
        services.employee_join_by_email(user=unverified, company=acme)
    outsider = UserFactory.create(email="zoe@elsewhere.example")
    with pytest.raises(DomainError):
        services.employee_join_by_email(user=outsider, company=acme)


def test_it_computes_the_balance_from_approved_hours_of_the_year(judy, ivy, application):
    year = selectors.local_year(application.slot.starts_at)
    assert selectors.allowance_balance(judy, year) == Decimal("14.00")
    request = services.work_time_request(employee=judy, application=application, hours="4,5")
    assert selectors.allowance_balance(judy, year) == Decimal("14.00")  # pending: not spent
    services.work_time_decide(request=request, actor=ivy.user, approve=True)
    assert selectors.allowance_balance(judy, year) == Decimal("9.50")
    assert selectors.allowance_balance(judy, year + 1) == Decimal("14.00")


def test_it_refuses_a_request_beyond_the_remaining_allowance(judy, ivy, application, slot):
    first = services.work_time_request(employee=judy, application=application, hours="12")
    services.work_time_decide(request=first, actor=ivy.user, approve=True)
    other_slot = MissionSlotFactory.create(mission=slot.mission, starts_at=slot.starts_at)
    other = ApplicationFactory.create(slot=other_slot, volunteer=judy.user)
    with pytest.raises(ValidationError) as excinfo:
        services.work_time_request(employee=judy, application=other, hours="2.01")
    assert "hours" in excinfo.value.message_dict
    assert services.work_time_request(employee=judy, application=other, hours="2").hours == 2


def test_it_refuses_float_hours_and_someone_elses_application(judy, ivy, slot, application):
    with pytest.raises(ValidationError):
        services.work_time_request(employee=judy, application=application, hours=2.5)
    stranger = ApplicationFactory.create(slot=slot)
    with pytest.raises(DomainError):
        services.work_time_request(employee=judy, application=stranger, hours="1")
    assert not WorkTimeRequest.objects.exists()


def test_it_refuses_work_time_for_a_declined_application(judy, application):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.DECLINED)
    with pytest.raises(ValidationError):
        services.work_time_request(employee=judy, application=application, hours="1")


def test_it_refuses_a_second_live_request_for_the_same_slot(judy, ivy, application):
    first = services.work_time_request(employee=judy, application=application, hours="1")
    with pytest.raises(ValidationError):
        services.work_time_request(employee=judy, application=application, hours="1")
    services.work_time_decide(request=first, actor=ivy.user, approve=False, reason="Audit week")
    assert services.work_time_request(employee=judy, application=application, hours="1")


def test_it_lets_the_manager_and_hr_decide(judy, ivy, hugo, application):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    assert selectors.can_decide(ivy.user, request)
    assert selectors.can_decide(hugo, request)
    assert list(selectors.requests_to_decide(ivy.user)) == [request]
    assert list(selectors.requests_to_decide(hugo)) == [request]
    decided = services.work_time_decide(request=request, actor=hugo, approve=True)
    assert decided.status == WorkTimeRequest.Status.APPROVED
    assert decided.decided_by == hugo
    assert decided.decided_at is not None
    with pytest.raises(ConflictError):
        services.work_time_decide(request=request, actor=ivy.user, approve=False, reason="No")


def test_it_never_lets_another_companys_manager_or_hr_decide(judy, kim, rival, application):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    # kim administers rival and manages an employee there: still nothing to say about judy.
    assert not selectors.can_decide(kim, request)
    assert list(selectors.requests_to_decide(kim)) == []
    with pytest.raises(DomainError):
        services.work_time_decide(request=request, actor=kim, approve=True)
    request.refresh_from_db()
    assert request.status == WorkTimeRequest.Status.PENDING


def test_it_never_lets_a_colleague_who_is_not_the_manager_decide(acme, judy, application):
    colleague = UserFactory.create()
    Employee.objects.create(company=acme, user=colleague)
    request = services.work_time_request(employee=judy, application=application, hours="2")
    with pytest.raises(DomainError):
        services.work_time_decide(request=request, actor=colleague, approve=True)
    with pytest.raises(DomainError):
        services.work_time_decide(request=request, actor=judy.user, approve=True)


def test_it_requires_a_reason_to_reject(judy, ivy, application):
    request = services.work_time_request(employee=judy, application=application, hours="2")
    with pytest.raises(ValidationError):
        services.work_time_decide(request=request, actor=ivy.user, approve=False, reason=" ")
    request.refresh_from_db()
    assert request.status == WorkTimeRequest.Status.PENDING


def test_it_sets_a_manager_from_the_same_company_only(judy, hugo, kim):
    with pytest.raises(ValidationError):
        services.employee_set_manager(employee=judy, manager=kim, actor=hugo)
    with pytest.raises(DomainError):
        services.employee_set_manager(employee=judy, manager=None, actor=kim)
    assert services.employee_set_manager(employee=judy, manager=None, actor=hugo).manager is None


def test_it_lists_internal_missions_to_employees_only(acme, judy):
    from entraide.missions.tests.factories import MissionFactory

    internal = MissionFactory.create(organisation=acme, is_internal=True)
    MissionFactory.create(organisation=acme, is_internal=False)
    assert list(selectors.internal_missions_for(judy.user)) == [internal]
    assert list(selectors.internal_missions_for(UserFactory.create())) == []
