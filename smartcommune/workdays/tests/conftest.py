import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.directory.policies import requires_two_factor


@pytest.fixture
def sign_in(client):
    """Sign `user` in; officials who need the second factor have completed it."""

    def _sign_in(user):
        client.force_login(user)
        if requires_two_factor(user):
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _sign_in
