"""Accounts: two-factor login (TOTP), idle sessions and the lock-out page (docs/web.md, Accounts).

Admins and reviewers (``roles.REVIEWERS``; superusers count as admins) must confirm a TOTP
device and enter a code from it after their password before any page, or the API through the
browser's session, treats them as logged in. Other logins may set a device up; once they have
one it is asked for too. The API with a token is for scripts and is not affected.

``TwoFactorMiddleware`` enforces it after django-otp's ``OTPMiddleware`` (which sets
``request.user.is_verified()`` from the session); the views here set a device up and verify a
code. ``locked_out`` is django-axes's lock-out answer: the login page with the reason.
"""

from __future__ import annotations

import time
from base64 import b32encode
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from docket.web.roles import REVIEWERS, role_of

# Session key: when the login was last seen (seconds since the epoch), for the idle timeout.
SEEN_KEY = "docket_seen"
# Written at most this often, so that reading pages does not write the session each time.
SEEN_GRANULARITY = 60


def two_factor_required(user: Any) -> bool:
    """Whether USER must pass a TOTP code: admins and reviewers always, others once they have
    a confirmed device."""
    if not getattr(user, "is_authenticated", False):
        return False
    if role_of(user) in REVIEWERS:
        return True
    return confirmed_device(user) is not None


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def _exempt(path: str) -> bool:
    """Pages an unverified login may still open: logging in and out, the 2FA pages, static
    files and the language switch."""
    prefixes = (
        reverse("login"),
        reverse("logout"),
        reverse("two_factor_setup"),
        reverse("two_factor_verify"),
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
        reverse("admin:login"),
        reverse("admin:logout"),
    )
    return path.startswith(prefixes)


class TwoFactorMiddleware:
    """Idle timeout for every session; TOTP verification for those who need it.

    Must come after ``django_otp.middleware.OTPMiddleware``. A request carrying an
    ``Authorization`` header (the API's token) is left to the API's own authentication.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_AUTHORIZATION" in request.META:
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and self._idle(request):
            logout(request)  # the request goes on as an anonymous visitor's
            return self.get_response(request)
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not _exempt(request.path_info)
            and two_factor_required(user)
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": str(_("Two-factor verification required: log in on the pages."))},
                    status=403,
                )
            target = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
            return HttpResponseRedirect(
                f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    @staticmethod
    def _idle(request: HttpRequest) -> bool:
        now = int(time.time())
        seen = request.session.get(SEEN_KEY)
        if seen is not None and now - int(seen) > settings.DOCKET_SESSION_IDLE_SECONDS:
            return True
        if seen is None or now - int(seen) >= SEEN_GRANULARITY:
            request.session[SEEN_KEY] = now
        return False


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("The code is the 6 digits your app shows."))
        return code


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _secret(device: TOTPDevice) -> str:
    """The device's key in base32, as authenticator apps take it, in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code and the secret, confirmed with a first code.

    Someone who already has a device must verify with it first: a stolen password alone
    must not be enough to replace it.
    """
    user = request.user
    existing = confirmed_device(user)
    if existing is not None and not user.is_verified():  # type: ignore[union-attr]
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next(request)})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("That code is wrong or too old. Enter the code shown now."))
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", omitsize=False
    )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr,
            "secret": _secret(device),
            "next": _next(request),
            "replacing": existing is not None,
            "required": role_of(user) in REVIEWERS,
            "role": role_of(user),
        },
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Enter the current code of one's authenticator app."""
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next(request)})}")
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
        elif device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_next(request))
        else:
            form.add_error("code", _("That code is wrong or too old. Enter the code shown now."))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next(request), "role": role_of(user)},
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes's answer to a locked-out login: the login page saying why, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "next": request.POST.get("next", ""),
            "locked_minutes": minutes,
        },
        status=429,
    )
