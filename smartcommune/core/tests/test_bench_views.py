import json

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from smartcommune.core.bench_views import floor
from smartcommune.directory.factories import UserFactory


def test_the_benchmark_floor_is_not_routed_unless_the_setting_is_on(settings):
    assert settings.SMARTCOMMUNE_BENCH_FLOOR is False
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")


@pytest.mark.django_db
def test_the_floor_answers_one_row_as_json():
    user = UserFactory(username="do_tai")
    request = RequestFactory().get("/__bench/floor/")
    request.user = user

    response = floor(request)

    assert response.status_code == 200
    assert json.loads(response.content) == {"ok": True, "user": {"pk": user.pk, "username": "do_tai"}}
