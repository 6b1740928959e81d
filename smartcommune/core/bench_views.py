"""The benchmark floor: a bare JSON view behind the whole middleware stack.

Routed only when `SMARTCOMMUNE_BENCH_FLOOR` is on (config/urls.py), so it never exists in
production. `bench/load.py` measures it in the same run as the real pages: its throughput is what
any signed-in request costs at least (session, user, grants for the two-factor check, one row).
"""

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def floor(request):
    """One indexed one-row read and a small JSON answer (signed-in users only, like every page)."""
    row = get_user_model().objects.filter(pk=request.user.pk).values("pk", "username").first()
    return JsonResponse({"ok": True, "user": row}, json_dumps_params={"ensure_ascii": False})
