"""Every notification has a WhatsApp template shape: outside the 24-hour window, the only way."""

from __future__ import annotations

from app.messaging.templates import TEMPLATE_FIELDS
from bot_flows.texts import CATALOGUES, DERIVED

NOTICE_PURPOSES = {
    key.removeprefix("notification.") for key in CATALOGUES["es"] if key.startswith("notification.")
}
# Facts a notification carries as they are (app/booking/notifications.py and the services).
PLAIN_FACTS = {
    "code", "patient_name", "service", "doctor", "phone", "body", "rejection_reason", "old_code",
    "minutes",
}  # fmt: skip


def test_every_notification_purpose_has_its_template_variables() -> None:
    assert set(TEMPLATE_FIELDS) >= NOTICE_PURPOSES


def test_every_template_variable_is_a_fact_or_derived_from_them() -> None:
    for purpose, fields in TEMPLATE_FIELDS.items():
        unknown = [name for name in fields if name not in DERIVED and name not in PLAIN_FACTS]
        assert not unknown, f"{purpose}: {unknown}"
