"""Accounts: Argon2, lock-out after failed logins, TOTP for admins and reviewers, sessions,
production settings (docs/web.md, Accounts; docs/deployment.md)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from docket.records.services import bundle_load
from docket.web.accounts import SEEN_KEY
from tests.web.helpers import login, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long password 9"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _code(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{code:0{device.digits}d}"


def _wrong_code(device: TOTPDevice) -> str:
    """A code no window the device accepts (now, one step before or after) would give."""
    near = {_code(device, d) for d in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in near)


def _password_login(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_new_passwords_are_hashed_with_argon2_and_old_hashes_upgraded_at_login() -> None:
    user = make_user("amina", "documenter")
    assert user.password.startswith("argon2$argon2id$")
    old = make_user("old", "documenter")
    old.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    old.save()
    client = Client()
    assert _password_login(client, "old").status_code == 302 and _logged_in(client)
    old.refresh_from_db()
    assert old.password.startswith("argon2$")


def test_five_wrong_passwords_lock_the_login_but_not_another_user(loaded: None) -> None:
    make_user("amina", "documenter")
    make_user("bolat", "documenter")
    client = Client()
    for _ in range(5):
        response = _password_login(client, "amina", "not the password at all")
        assert not _logged_in(client)
    assert response.status_code == 429
    # Even the right password is refused now, with the reason on the login page.
    response = _password_login(client, "amina")
    assert response.status_code == 429 and not _logged_in(client)
    page = _text(response)
    assert "locked for 30 minutes" in page and 'name="password"' in page
    assert "The user name or password is wrong" not in page
    russian = _text(_password_login(Client(), "amina", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "заблокирован" in russian
    # Another user from the same address logs in.
    other = Client()
    assert _password_login(other, "bolat").status_code == 302 and _logged_in(other)
    # The API with a token is not affected by the lock.
    user = get_user_model().objects.get(username="amina")
    token = Token.objects.create(user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/persons/").status_code == 200


def test_a_wrong_password_shows_the_plain_message() -> None:
    make_user("amina", "documenter")
    response = _password_login(Client(), "amina", "wrong password here")
    assert response.status_code == 200
    assert "The user name or password is wrong." in _text(response)


def test_an_admin_without_device_must_set_one_up_before_any_page(loaded: None) -> None:
    make_user("admin1", "admin")
    client = Client()
    assert _password_login(client, "admin1").status_code == 302 and _logged_in(client)
    response = client.get("/persons/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/setup/?next=%2Fpersons%2F"
    assert client.get("/admin/").status_code == 302
    api = client.get("/api/persons/")
    assert api.status_code == 403 and "Two-factor" in api.json()["detail"]
    setup = client.get(response["Location"])
    page = setup.content.decode()
    assert setup.status_code == 200 and "<svg" in page
    device = TOTPDevice.objects.get(user__username="admin1")
    assert not device.confirmed
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None and len(secret.group(1).replace(" ", "")) == 32
    wrong = client.post(
        "/account/two-factor/setup/", {"code": _wrong_code(device), "next": "/persons/"}
    )
    assert wrong.status_code == 200 and "That code is wrong" in _text(wrong)
    assert client.get("/persons/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post("/account/two-factor/setup/", {"code": _code(device), "next": "/persons/"})
    assert right.status_code == 302 and right["Location"] == "/persons/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/persons/").status_code == 200
    assert client.get("/api/persons/").status_code == 200


def test_a_reviewer_with_a_device_enters_a_code_after_the_password(loaded: None) -> None:
    user = make_user("rev", "reviewer")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _password_login(client, "rev")
    response = client.get("/review/")
    assert response["Location"] == "/account/two-factor/?next=%2Freview%2F"
    # A stolen password is not enough to put another device in place.
    setup = client.get("/account/two-factor/setup/")
    assert setup.status_code == 302 and setup["Location"].startswith("/account/two-factor/?")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    wrong = client.post("/account/two-factor/", {"code": _wrong_code(device), "next": "/review/"})
    assert wrong.status_code == 200 and "That code is wrong" in _text(wrong)
    assert client.get("/api/persons/").status_code == 403
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post("/account/two-factor/", {"code": _code(device), "next": "/review/"})
    assert right.status_code == 302 and right["Location"] == "/review/"
    assert client.get("/review/").status_code == 200
    assert client.get("/api/persons/").status_code == 200
    # The same code cannot be used twice.
    again = Client()
    _password_login(again, "rev")
    device.refresh_from_db()
    assert again.post("/account/two-factor/", {"code": _code(device)}).status_code == 200


def test_a_token_is_not_asked_for_a_code(loaded: None) -> None:
    user = make_user("admin1", "admin")
    token = Token.objects.create(user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/persons/").status_code == 200


def test_a_documenter_is_not_forced_but_may_set_up_two_factor(loaded: None) -> None:
    make_user("doc", "documenter")
    client = Client()
    _password_login(client, "doc")
    assert client.get("/persons/").status_code == 200
    assert client.get("/api/persons/").status_code == 200
    assert client.get("/account/two-factor/setup/").status_code == 200
    device = TOTPDevice.objects.get(user__username="doc")
    client.post("/account/two-factor/setup/", {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    # From now on a login of theirs asks for the code too.
    later = Client()
    _password_login(later, "doc")
    assert later.get("/persons/")["Location"].startswith("/account/two-factor/?")


def test_the_helper_logs_in_verified(loaded: None) -> None:
    client = login(Client(), make_user("admin1", "admin"))
    assert client.get("/persons/").status_code == 200


def test_an_idle_session_ends() -> None:
    client = login(Client(), make_user("doc", "documenter"))
    assert client.get("/").context["user"].is_authenticated
    session = client.session
    session[SEEN_KEY] = int(time.time()) - 2 * 60 * 60
    session.save()
    assert not client.get("/").context["user"].is_authenticated
    assert not _logged_in(client)


def test_sessions_expire() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_user_totp_from_the_command_line_prints_a_working_key(monkeypatch: Any) -> None:
    from click.testing import CliRunner

    from docket.cli import cli

    runner = CliRunner()
    monkeypatch.setenv("DOCKET_PASSWORD", "password")
    refused = runner.invoke(cli, ["user", "add", "ana", "--role", "admin"])
    assert refused.exit_code == 1 and "at least 12 characters" in refused.output
    monkeypatch.setenv("DOCKET_PASSWORD", PASSWORD)
    assert runner.invoke(cli, ["user", "add", "ana", "--role", "admin"]).exit_code == 0
    result = runner.invoke(cli, ["user", "totp", "ana"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("otpauth://totp/Docket%3Aana?secret=")
    device = TOTPDevice.objects.get(user__username="ana")
    assert device.confirmed
    client = Client()
    _password_login(client, "ana")
    assert client.post("/account/two-factor/", {"code": _code(device)}).status_code == 302
    assert runner.invoke(cli, ["user", "totp", "nobody"]).exit_code == 1


def _django_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # Neither Docket's own variables nor DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests
    # set in this process (Playwright), belong to a deployment.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DOCKET_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(DOCKET_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)
    clean["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "docket.web.settings"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = _django_check(
        tmp_path, DOCKET_ENV="production", DOCKET_SECRET_KEY=secrets.token_urlsafe(50)
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues (0 silenced)" in output and "W0" not in output
    key_file = tmp_path / "secret-key"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    result = _django_check(tmp_path, DOCKET_PRODUCTION="1", DOCKET_SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / ".docket-secret").exists()


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = _django_check(tmp_path, DOCKET_ENV="production")
    assert result.returncode != 0
    assert "Docket in production needs a secret key" in result.stderr
    assert not (tmp_path / ".docket-secret").exists()
    missing = _django_check(
        tmp_path, DOCKET_ENV="production", DOCKET_SECRET_KEY_FILE=str(tmp_path / "none")
    )
    assert missing.returncode != 0 and "cannot read it" in missing.stderr
