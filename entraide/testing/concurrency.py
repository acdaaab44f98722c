"""Run service calls truly at the same time, each in its own thread and database connection.

For race tests marked `django_db(transaction=True)`: the calls are released together by a
barrier, so on PostgreSQL their transactions overlap and only locks or conditional updates
keep them apart.
"""

import threading
import time
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from entraide.core.errors import DomainError


def run_at_once(calls: Sequence[Callable[[], object]]) -> list[object]:
    """Start every call at the same moment; return each one's result or the refusal it raised.

    A refusal is a DomainError or a ValidationError, the two ways services say no. Outcomes
    are in the order of `calls`; any other exception fails the test.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            # Connect first, so that opening connections does not stagger the start.
            connection.ensure_connection()
            barrier.wait()
            for _attempt in range(500):
                try:
                    outcomes[index] = call()
                except (DomainError, ValidationError) as exc:
                    outcomes[index] = exc
                except OperationalError as exc:
                    # SQLite's shared in-memory test database reports a busy lock at once where
                    # a file database waits for its timeout: wait and retry, as that would.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
                    continue
                break
            else:
                raise AssertionError("the database stayed locked")
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return outcomes
