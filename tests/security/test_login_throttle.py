"""Repeated failed logins slow an account down without locking it (accounts/lockout.py): the wait
doubles and is bounded, the right password works once it has passed, one guessing address delays
only itself, many addresses together slow the account for a bounded time, one address is limited
across user names, and the client address comes from trusted proxies only
(core/client_address.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import F
from django.test import Client, RequestFactory

from borderlink.accounts import lockout
from borderlink.accounts.models import LoginFailure, User
from borderlink.core.client_address import client_address

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-for-tests"
PROXY = "10.0.0.1"
ATTACKER, VICTIM = "203.0.113.66", "198.51.100.20"


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("t-alice", password=PASSWORD)


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]


def attempt(
    password: str, *, peer: str = ATTACKER, forwarded: str = "", username: str = "t-alice"
) -> tuple[Client, str]:
    environ: dict[str, Any] = {"REMOTE_ADDR": peer}
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client(**environ)
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": username, "password": password})
    if response.status_code == 302:
        assert "_auth_user_id" in client.session
        return client, "in"
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    return client, "waiting" if 'id="login-locked"' in page else "wrong"


def later(seconds: float) -> None:
    """Time passes: every recorded failure moves into the past."""
    LoginFailure.objects.update(at=F("at") - datetime.timedelta(seconds=seconds))


def test_the_wait_doubles_and_the_right_password_works_once_it_has_passed(alice: User) -> None:
    for _ in range(5):
        assert attempt("wrong")[1] == "wrong"
    for expected in (2, 4, 8, 16):
        wait = lockout.account_wait("t-alice", _request(ATTACKER))
        assert expected - 1 < wait.total_seconds() <= expected
        # While waiting even the right password is refused, unchecked and uncounted.
        count = LoginFailure.objects.count()
        assert attempt(PASSWORD)[1] == "waiting"
        assert LoginFailure.objects.count() == count
        later(expected)
        assert attempt("wrong")[1] == "wrong"  # allowed again, and it doubles the wait
    later(32)
    assert attempt(PASSWORD)[1] == "in"
    assert not LoginFailure.objects.filter(username="t-alice").exists()


def test_the_wait_says_how_long_in_the_page_language(alice: User) -> None:
    for _ in range(5):
        attempt("wrong")
    client = Client(REMOTE_ADDR=ATTACKER)
    client.cookies["django_language"] = "en"
    page = client.post("/accounts/login/", {"username": "t-alice", "password": "x"})
    text = page.content.decode()
    assert "Too many failed logins for this user name. Wait 2 seconds and try again." in text
    assert lockout.delay_after(30) == lockout.window()  # never longer than the window


def test_an_attacker_behind_the_proxy_cannot_lock_a_user_out_for_good(
    alice: User, behind_proxy: None
) -> None:
    """Every request comes from the proxy's address. The attacker guesses as fast as the wait
    allows for well over a window; the user, through the same proxy, is never held up."""
    guesses = 0
    for _ in range(40):
        result = attempt("wrong", peer=PROXY, forwarded=ATTACKER)[1]
        guesses += result == "wrong"
        assert attempt(PASSWORD, peer=PROXY, forwarded=VICTIM)[1] == "in"
        if result == "waiting":
            later(lockout.account_wait("t-alice", _request(PROXY, ATTACKER)).total_seconds() + 1)
    assert guesses >= 20  # the attacker did keep guessing (the user's logins cleared the count)
    assert attempt("wrong", peer=PROXY, forwarded=ATTACKER)[1] == "wrong"


def test_guesses_from_many_addresses_slow_the_account_for_a_bounded_time(
    alice: User, behind_proxy: None
) -> None:
    for n in range(lockout.account_limit()):
        attempt("wrong", peer=PROXY, forwarded=f"203.0.113.{n // 4}")
    # Now every address waits for this user name, the user's own too: 2 seconds, then doubling…
    assert attempt(PASSWORD, peer=PROXY, forwarded=VICTIM)[1] == "waiting"
    waits = []
    for n in range(30):  # …as fast as the attackers are allowed, for a long time
        waits.append(lockout.account_wait("t-alice"))
        later(waits[-1].total_seconds() + 1)
        attempt("wrong", peer=PROXY, forwarded=f"203.0.113.{n + 50}")
    # The wait grew long, but never past the window (old failures leave it as new ones come).
    assert datetime.timedelta(minutes=4) < max(waits) <= lockout.window()
    wait = lockout.account_wait("t-alice", _request(PROXY, VICTIM))
    assert wait <= lockout.window()
    if wait:
        assert attempt(PASSWORD, peer=PROXY, forwarded=VICTIM)[1] == "waiting"
    later(wait.total_seconds() + 1)
    assert attempt(PASSWORD, peer=PROXY, forwarded=VICTIM)[1] == "in"


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(
    alice: User, settings: Any
) -> None:
    settings.LOGIN_ADDRESS_LIMIT = 5
    settings.TRUSTED_PROXIES = []  # the default: nothing trusted
    for n in range(5):
        forged = f"192.0.2.{n}"
        assert client_address(_request(ATTACKER, forged)) == ATTACKER
        assert attempt("wrong", username=f"t-nobody-{n}", forwarded=forged)[1] == "wrong"
    # A sixth forged address does not make a new client: the peer has used up its tries.
    _client, result = attempt(PASSWORD, forwarded="192.0.2.99")
    assert result == "waiting"
    assert len(set(LoginFailure.objects.values_list("ip_hash", flat=True))) == 1
    # A trusted peer is not trusted for what it did not say: a forged hop left of it is ignored.
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(_request(PROXY, f"192.0.2.7, {VICTIM}")) == VICTIM


def _request(peer: str, forwarded: str = "") -> Any:
    environ: dict[str, Any] = {"REMOTE_ADDR": peer}
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **environ)


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        (ATTACKER, "", ATTACKER),
        (ATTACKER, "192.0.2.1", ATTACKER),  # untrusted peer: header ignored
        (PROXY, "", PROXY),  # a trusted proxy's own request
        (PROXY, VICTIM, VICTIM),
        (PROXY, f"192.0.2.1, {VICTIM}", VICTIM),  # the client's own prefix ignored
        (PROXY, f"192.0.2.1, {VICTIM}, 10.1.2.3", VICTIM),  # past a chain of trusted proxies
        (PROXY, "10.1.2.3, 10.1.9.9", "10.1.2.3"),  # all trusted: the farthest
        (PROXY, f"{VICTIM}, not-an-address", PROXY),  # garbage next to the proxy: the proxy
        (PROXY, f" {VICTIM} ,", VICTIM),
        (PROXY, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address_is_read_right_to_left_past_trusted_proxies(
    behind_proxy: None, peer: str, forwarded: str, client: str
) -> None:
    assert client_address(_request(peer, forwarded)) == client


def test_one_address_is_limited_across_user_names(alice: User, settings: Any) -> None:
    settings.LOGIN_ADDRESS_LIMIT = 8
    for n in range(8):
        assert attempt("wrong", username=f"t-spray-{n}")[1] == "wrong"
    # That address is refused for any user name, even with the right password…
    _client, result = attempt(PASSWORD)
    assert result == "waiting"
    assert lockout.account_wait("t-alice") == datetime.timedelta(0)  # not alice's doing
    # …while other addresses are not, and the address is free once its failures have aged.
    assert attempt(PASSWORD, peer=VICTIM)[1] == "in"
    later(lockout.window().total_seconds() + 1)
    assert attempt(PASSWORD)[1] == "in"
