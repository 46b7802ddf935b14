"""The SDK's HTTP client reads the environment's proxy and CA settings once, at start."""

from __future__ import annotations

import pytest
from twilio.http.http_client import TwilioHttpClient

from app.messaging.twilio_messenger import TWILIO_API, settled

PROXY = "http://proxy.clinica.example:3128"


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS", "HTTP", "ALL", "NO"):
        monkeypatch.delenv(f"{name}_PROXY", raising=False)
        monkeypatch.delenv(f"{name.lower()}_proxy", raising=False)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


def sent_with(client: TwilioHttpClient) -> dict[str, object]:
    """What `requests` would send the SDK's next request with (proxies, CA bundle)."""
    assert client.session is not None
    return client.session.merge_environment_settings(TWILIO_API, client.proxy, None, None, None)


def test_an_operators_proxy_and_ca_bundle_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/clinica-ca.pem")

    client = settled(TwilioHttpClient(timeout=5))

    settings = sent_with(client)
    assert settings["proxies"] == {"https": PROXY}
    assert settings["verify"] == "/etc/ssl/clinica-ca.pem"


def test_the_environment_is_not_read_again_for_each_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = settled(TwilioHttpClient(timeout=5))
    assert client.session is not None and client.session.trust_env is False

    monkeypatch.setenv("HTTPS_PROXY", PROXY)  # set after start: not looked up per request
    assert sent_with(client)["proxies"] == {}
