"""Logging a test client in as a role, with the two-factor step done where the role needs it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from docket.web.accounts import two_factor_required


def make_user(username: str, role: str | None, password: str = "a long password 9") -> Any:
    user = get_user_model().objects.create_user(username, password=password)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def login(client: Client, user: Any) -> Client:
    """client.force_login, and for admins and reviewers also what entering a TOTP code does:
    the session names a confirmed device of the user (django_otp.login)."""
    client.force_login(user)
    if two_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
