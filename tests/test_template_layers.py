"""A page of a lower app does not load a higher app's template tags (docs/architecture.md: a
template follows the same layers as code). The layers are read from `.importlinter`, so the
templates are held to the same order as the imports."""

import configparser
import re
from pathlib import Path

import pytest

from initiatives import panels

ROOT = Path(__file__).resolve().parent.parent
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def _layers() -> dict[str, int]:
    """App -> its height (0 lowest), from the import-linter contract."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    lines = [line.strip() for line in config["importlinter:contract:layers"]["layers"].split("\n")]
    ordered = [line for line in lines if line][::-1]  # the contract lists the highest first
    return {app.strip(): height for height, layer in enumerate(ordered) for app in layer.split("|")}


def _tag_libraries() -> dict[str, str]:
    """Tag library name -> the app it belongs to."""
    return {
        path.stem: path.parent.parent.name
        for path in ROOT.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def _violations(layers: dict[str, int], libraries: dict[str, str], folder: Path) -> list[str]:
    found = []
    for template in sorted(folder.rglob("*.html")):
        app = template.relative_to(folder).parts[0]
        if app not in layers:  # base.html, partials/, registration/: the site's own (config)
            continue
        for names in LOAD.findall(template.read_text(encoding="utf-8")):
            for name in names.split():
                owner = libraries.get(name)
                if owner in layers and layers[owner] > layers[app]:
                    found.append(f"{template.relative_to(folder)} loads {name} ({owner})")
    return found


def test_no_page_loads_the_tags_of_a_higher_app():
    layers, libraries = _layers(), _tag_libraries()
    assert layers["intake"] > layers["initiatives"]  # the check below can fail
    assert libraries["intake_tags"] == "intake"
    assert _violations(layers, libraries, ROOT / "templates") == []


def test_the_check_finds_a_page_that_reaches_up(tmp_path):
    (tmp_path / "initiatives").mkdir()
    (tmp_path / "initiatives" / "probe.html").write_text("{% load i18n intake_tags %}")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "fine.html").write_text("{% load intake_tags sroi_tags %}")
    assert _violations(_layers(), _tag_libraries(), tmp_path) == [
        "initiatives/probe.html loads intake_tags (intake)"
    ]


@pytest.mark.django_db
def test_the_initiative_page_shows_the_panels_registered_from_above(client):
    from tests.initiatives.factories import InitiativeFactory

    assert "intake.published_profile" in panels._PANELS  # intake registered it in ready()
    initiative = InitiativeFactory()
    asked = []

    def probe(shown):
        asked.append(shown.pk)
        return "intake/partials/published_profile.html", {"intake": None}

    panels.register("test.probe", probe)
    try:
        response = client.get(initiative.get_absolute_url())
    finally:
        del panels._PANELS["test.probe"]
    assert response.status_code == 200 and asked == [initiative.pk]
