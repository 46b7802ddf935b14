"""Settings from the environment: what production refuses, and when development mode applies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.config import DEVELOPMENT_TOKEN, Config
from app.messaging.settings import MessagingSettings
from bot_flows.texts import template_value

# What production needs besides Twilio: a secret key, and a data key (32 bytes, base64url).
SECRET = {"CITABOT_SECRET_KEY": "s" * 48, "CITABOT_DATA_KEYS": "A" * 43}
TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "real-token"} | SECRET


@pytest.mark.parametrize(
    ("environ", "said"),
    [
        ({}, "the console backend (the default without TWILIO_ACCOUNT_SID)"),
        ({"MESSAGING_BACKEND": "console"}, "MESSAGING_BACKEND=console"),
        (TWILIO | {"MESSAGING_BACKEND": "console"}, "MESSAGING_BACKEND=console"),
    ],
    ids=["defaulted", "explicit", "explicit-with-an-account"],
)
def test_production_refuses_the_console_which_would_print_health_data_to_the_logs(
    environ: dict[str, str], said: str
) -> None:
    with pytest.raises(ValueError) as refused:
        Config.from_env({"CITABOT_ENV": "production"} | environ)
    assert str(refused.value).startswith(said + " prints every message, health data included")
    assert "MESSAGING_BACKEND=twilio" in str(refused.value)


def test_production_with_a_twilio_account_sends_through_twilio() -> None:
    config = Config.from_env({"CITABOT_ENV": "production"} | TWILIO)
    assert config.messaging_backend == "twilio"
    assert not config.development_mode and config.webhook_token == "real-token"


def test_the_console_stays_the_default_in_development() -> None:
    assert Config.from_env({}).messaging_backend == "console"
    assert Config.from_env({"CITABOT_ENV": "testing"}).messaging_backend == "console"


@pytest.mark.parametrize(
    ("environ", "development", "token"),
    [
        ({}, True, DEVELOPMENT_TOKEN),  # `make run`
        ({"TWILIO_AUTH_TOKEN": "real-token"}, False, "real-token"),  # CITABOT_ENV forgotten
        ({"CITABOT_ENV": "production"} | TWILIO, False, "real-token"),
    ],
    ids=["make-run", "a-deployment-without-CITABOT_ENV", "production"],
)
def test_the_development_token_and_simulator_only_without_a_real_token_outside_production(
    environ: dict[str, str], development: bool, token: str
) -> None:
    config = Config.from_env(environ)
    assert config.development_mode is development
    assert config.webhook_token == token


def test_production_without_a_token_refuses_every_webhook() -> None:
    config = Config(environment="production", messaging_backend="twilio")
    assert not config.development_mode and config.webhook_token is None


def test_the_message_lease_is_read_and_leaves_room_to_send() -> None:
    config = Config.from_env({"MESSAGE_LEASE_SECONDS": "30"})
    assert MessagingSettings.from_config(config, template_value).lease == timedelta(seconds=30)
    assert MessagingSettings.from_config(Config.from_env({}), template_value).lease == timedelta(
        seconds=60
    )
    for wrong in ("29", "0", "1.5", "soon"):
        with pytest.raises(ValueError, match="MESSAGE_LEASE_SECONDS must be a whole number"):
            Config.from_env({"MESSAGE_LEASE_SECONDS": wrong})


def test_lists_and_buttons_are_on_by_default_and_can_be_turned_off() -> None:
    assert Config.from_env({}).interactive_replies == "auto"
    assert Config.from_env({"INTERACTIVE_REPLIES": "off"}).interactive_replies == "off"
    with pytest.raises(ValueError, match="INTERACTIVE_REPLIES must be 'auto' or 'off'"):
        Config.from_env({"INTERACTIVE_REPLIES": "yes"})


@pytest.mark.parametrize("secret", [None, "too short"])
def test_production_refuses_to_start_without_a_long_secret_key(secret: str | None) -> None:
    environ = {"CITABOT_ENV": "production"} | TWILIO
    if secret is None:
        del environ["CITABOT_SECRET_KEY"]
    else:
        environ["CITABOT_SECRET_KEY"] = secret
    with pytest.raises(ValueError, match="CITABOT_SECRET_KEY"):
        Config.from_env(environ)


def test_development_needs_no_secret_key() -> None:
    assert Config.from_env({}).secret_key is None  # create_app makes one in instance/
