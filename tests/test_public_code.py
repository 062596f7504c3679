"""The Standard for Public Code's files: publiccode.yml, the licence, security and contributing."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_publiccode_yml_has_the_required_fields_in_dutch_and_english():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    for key in (
        "publiccodeYmlVersion", "name", "url", "softwareVersion", "releaseDate", "platforms",
        "categories", "developmentStatus", "softwareType", "description", "legal",
        "maintenance", "localisation",
    ):  # fmt: skip
        assert key in data, key
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["localisation"]["availableLanguages"] == ["nl", "en"]
    for language in ("nl", "en"):
        description = data["description"][language]
        assert description["shortDescription"].strip()
        assert len(description["shortDescription"]) <= 150
        assert len(description["longDescription"]) >= 150
        assert description["features"]
    assert data["maintenance"]["contacts"]


def test_the_licence_is_the_eupl_1_2_in_full():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in text and len(text) > 10_000


def test_security_contributing_changelogs_and_dutch_readme_exist():
    for name in (
        "SECURITY.md",
        "CONTRIBUTING.md",
        "CHANGELOG.md",
        "CHANGELOG.nl.md",
        "README.nl.md",
    ):
        assert (ROOT / name).is_file(), name
        assert len((ROOT / name).read_text(encoding="utf-8")) > 200, name
