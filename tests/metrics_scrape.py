"""Reading `GET /metrics` in tests: every sample of a scrape, found by name and labels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "metrics-test-token"


@dataclass(frozen=True)
class Scrape:
    """The samples of one scrape: (name, sorted labels) -> value."""

    samples: Mapping[tuple[str, tuple[tuple[str, str], ...]], float]

    def value(self, name: str, **labels: str) -> float:
        """The sample's value; 0 when absent (a counter nothing has moved yet)."""
        return self.samples.get((name, tuple(sorted(labels.items()))), 0.0)

    def has(self, name: str) -> bool:
        return any(sample_name == name for sample_name, _ in self.samples)

    def label_values(self) -> set[str]:
        return {value for _, labels in self.samples for _, value in labels}


def scrape(client: FlaskClient, token: str = TOKEN) -> Scrape:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain; version=0.0.4")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }
    return Scrape(samples)
