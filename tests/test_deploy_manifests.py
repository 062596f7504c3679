"""The Kubernetes manifests: stateless web replicas, scalable workers, exactly one beat, probes that exist."""

from pathlib import Path

import pytest
import yaml
from django.urls import resolve

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "kubernetes"


def _documents() -> list[dict]:
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())
    documents = []
    for name in kustomization["resources"]:
        documents += [d for d in yaml.safe_load_all((DEPLOY / name).read_text()) if d]
    return documents


def _deployment(component: str) -> dict:
    for document in _documents():
        labels = document.get("spec", {}).get("selector", {}).get("matchLabels", {})
        if (
            document["kind"] == "Deployment"
            and labels.get("app.kubernetes.io/component") == component
        ):
            return document
    raise AssertionError(f"no deployment for {component}")


def test_web_runs_at_least_two_replicas_with_probes_on_urls_that_exist():
    web = _deployment("web")
    assert web["spec"]["replicas"] >= 2
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/_healthz/livez/"
    assert container["readinessProbe"]["httpGet"]["path"] == "/_healthz/readyz/"
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        path = container[probe]["httpGet"]["path"]
        assert resolve(path).url_name in {"livez", "readyz"}


def test_beat_is_exactly_one_and_never_two_during_an_upgrade():
    beat = _deployment("beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"


@pytest.mark.parametrize("component", ["web", "worker", "beat"])
def test_every_container_has_resources_liveness_and_runs_unprivileged(component):
    spec = _deployment(component)["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    for container in spec["containers"]:
        assert container["resources"]["requests"]["memory"]
        assert container["resources"]["limits"]["memory"]
        assert "livenessProbe" in container
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        sources = {next(iter(ref.values()))["name"] for ref in container["envFrom"]}
        assert sources == {"burgerkracht-config", "burgerkracht-secrets"}


def test_a_migration_job_and_a_shared_media_volume_exist():
    kinds = {(d["kind"], d["metadata"]["name"]) for d in _documents()}
    assert ("Job", "burgerkracht-migrate") in kinds
    claim = next(d for d in _documents() if d["kind"] == "PersistentVolumeClaim")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]


def test_the_config_map_names_only_settings_the_app_reads():
    config = next(d for d in _documents() if d["kind"] == "ConfigMap")
    example = (DEPLOY.parent.parent / ".env.example").read_text()
    for key in config["data"]:
        assert f"{key}=" in example or f"# {key}=" in example, key
