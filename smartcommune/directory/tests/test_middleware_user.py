"""The signed-in user reaches views as the user object itself, with its second factor checked."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import LazyObject, SimpleLazyObject

from smartcommune.directory.middleware import TwoFactorRequiredMiddleware

pytestmark = pytest.mark.django_db


def test_views_get_the_user_object_with_its_second_factor(sign_in, org):
    response = sign_in(org.leader).get("/dossiers/mine/")  # a leader must have passed the second factor
    user = response.wsgi_request.user
    assert response.status_code == 200
    assert not isinstance(user, LazyObject) and user.pk == org.leader.pk and user.is_verified()


def test_anonymous_visitors_keep_the_lazy_anonymous_user(rf):
    request = rf.get("/portal/")
    request.user = SimpleLazyObject(AnonymousUser)
    TwoFactorRequiredMiddleware(lambda r: r)(request)
    assert isinstance(request.user, LazyObject) and not request.user.is_authenticated
