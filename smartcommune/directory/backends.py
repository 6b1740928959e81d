"""Citizens sign in with their personal number (their username) or with the contact their sign-up
code was sent to: the phone when they gave one, else the e-mail (directory.services.signup_*)."""

from django.contrib.auth.backends import ModelBackend

from .choices import UserKind
from .models import User
from .validators import PHONE_RE, normalize_phone


class CitizenContactBackend(ModelBackend):
    """A phone number or e-mail that names exactly one citizen account signs it in. A contact
    shared by several accounts (a household's phone) signs nobody in, and officials keep their
    usernames."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or "").strip()
        if not identifier or password is None:
            return None
        citizens = User.objects.filter(kind=UserKind.CITIZEN, is_active=True)
        if "@" in identifier:
            # The e-mail was confirmed only when no phone was given (the code goes to the phone).
            matches = citizens.filter(email__iexact=identifier, phone="")
        elif PHONE_RE.match(phone := normalize_phone(identifier)):
            national = "0" + phone[3:] if phone.startswith("+84") else phone
            matches = citizens.filter(phone__in={national, "+84" + national[1:]})
        else:
            return None
        found = list(matches[:2])
        if len(found) != 1:
            User().set_password(password)  # as long as a real check: no hint that the contact exists
            return None
        user = found[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
