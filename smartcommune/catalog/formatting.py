"""How catalog values read to people (time limits in words)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import TimeLimitUnit


def time_limit_text(procedure) -> str:
    """ "3 working days; up to 5 more working days when verification is needed", "Same day …"."""
    amount = procedure.time_limit_amount
    if procedure.time_limit_unit == TimeLimitUnit.SAME_DAY:
        text = _("Same day (the next working day when received after 15:00)")
    elif procedure.time_limit_unit == TimeLimitUnit.WORKING_HOURS:
        text = ngettext("%(n)d working hour", "%(n)d working hours", amount) % {"n": amount}
    else:
        text = ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}
    extra = procedure.verification_extension_days
    if extra:
        text += "; " + ngettext(
            "up to %(n)d more working day when verification is needed",
            "up to %(n)d more working days when verification is needed",
            extra,
        ) % {"n": extra}
    return text
