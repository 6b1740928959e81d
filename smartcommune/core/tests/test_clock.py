from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from smartcommune.core import clock


def test_the_clock_is_now_except_inside_at_and_comes_back_after_an_error():
    past = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=1)
    with pytest.raises(RuntimeError), clock.at(past):
        assert clock.now() == past
        with clock.at(past + timedelta(hours=2)):
            assert clock.now() == past + timedelta(hours=2)
        assert clock.now() == past
        raise RuntimeError
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=1)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError), clock.at(datetime(2026, 11, 2, 8, 0)):
        pass
