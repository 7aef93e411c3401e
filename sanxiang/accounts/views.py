from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import LoginForm, PasswordChangeForm
from .http import client_ip
from .models import User


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        user = User.objects.filter(username=username).first()
        until = services.login_locked_until(user) if user else None
        if until:
            services.login_failed(
                username=username, user=None, ip=client_ip(request), reason="locked"
            )
            local = timezone.localtime(until).strftime("%H:%M")
            form.add_error(None, form.error_messages["locked"] % {"until": local})
        elif form.is_valid():
            user = form.get_user()
            login(request, user)
            services.login_succeeded(user=user, ip=client_ip(request))
            if services.password_expired(user):
                messages.warning(
                    request,
                    f"您的密码已超过{settings.PASSWORD_MAX_AGE_DAYS}天未修改，请先修改密码。",
                )
                return redirect("accounts:password_change")
            return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
        else:
            reason = "inactive" if user is not None and not user.is_active else "bad_credentials"
            services.login_failed(
                username=username, user=user, ip=client_ip(request), reason=reason
            )
            form.errors.pop("__all__", None)
            message = form.error_messages[
                "inactive" if reason == "inactive" else "invalid_login"
            ] % {
                "max": settings.LOGIN_MAX_FAILURES,
                "minutes": settings.LOGIN_LOCK_MINUTES,
            }
            form.add_error(None, message)
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_recorded(user=request.user, ip=client_ip(request), reason="user")
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form})


def permission_denied_view(request, exception=None):
    """403 page: says why in Chinese and records the refusal in the audit log."""
    reason = str(exception) if exception and str(exception) else "您没有访问此页面的权限"
    services.permission_denied_recorded(
        user=request.user, ip=client_ip(request), path=request.get_full_path(), reason=reason
    )
    return render(request, "403.html", {"reason": reason}, status=403)
