"""The suite's network guard (tests/conftest.py): loopback only, nothing beyond this machine."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.conftest import NetworkBlocked


def test_a_connection_beyond_this_machine_is_refused_before_any_packet() -> None:
    # 192.0.2.1 is TEST-NET-1, reserved for documentation: routed nowhere.
    for family, address in [(socket.AF_INET, ("192.0.2.1", 443)),
                            (socket.AF_INET6, ("2001:db8::1", 443, 0, 0))]:  # fmt: skip
        with socket.socket(family) as sock, pytest.raises(NetworkBlocked):
            sock.connect(address)
        with socket.socket(family) as sock, pytest.raises(NetworkBlocked):
            sock.connect_ex(address)


def test_a_name_is_not_even_looked_up_and_nothing_swallows_the_refusal() -> None:
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("api.twilio.com", 443)
    # Not an OSError: an HTTP client's "could not connect" handling cannot hide it.
    with pytest.raises(NetworkBlocked):
        requests.get("https://api.twilio.com/2010-04-01", timeout=1)


def test_loopback_still_connects() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        for host in ("127.0.0.1", "localhost"):
            with socket.create_connection((host, server.getsockname()[1]), timeout=5):
                pass
