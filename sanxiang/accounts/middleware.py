from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from .http import client_ip

SESSION_KEY = "sanxiang_last_seen"


class IdleLogoutMiddleware:
    """Log a user out after IDLE_LOGOUT_MINUTES without a request (等保: 登录连接超时自动退出)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # A request made with a personal API token has no session to time out (nor to create).
        token = getattr(request, "api_token", None)
        if user is not None and user.is_authenticated and token is None:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            if last is not None and now - last > settings.IDLE_LOGOUT_MINUTES * 60:
                from .services import logout_recorded

                logout_recorded(user=user, ip=client_ip(request), reason="idle")
                logout(request)
                messages.info(
                    request,
                    f"您已超过{settings.IDLE_LOGOUT_MINUTES}分钟未操作，系统已自动退出，请重新登录。",
                )
                return redirect_to_login(request.get_full_path())
            request.session[SESSION_KEY] = now
        return self.get_response(request)
