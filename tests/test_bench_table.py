"""bench/table.py: one table of every benchmark's rows against their targets."""

import json

from bench import measures, table


def test_rows_from_every_results_file_with_verdicts(tmp_path):
    (tmp_path / "registry.json").write_text(
        json.dumps(
            [
                measures.row("register p95", 34.8, "ms", 50),
                measures.row("search p95", 196.1, "ms", 50),
                measures.row("initiative page p95", 8.9, "ms"),
            ]
        )
    )
    (tmp_path / "voting.json").write_text(
        json.dumps([measures.row("vote / livez", 0.41, "ratio", 0.30, higher_is_better=True)])
    )
    (tmp_path / "registry-postgresql-details.json").write_text(json.dumps({"results": {}}))
    (tmp_path / "broken.json").write_text("{not json")

    rows = table.load(tmp_path)
    assert [(name, r["ok"]) for name, r in rows] == [
        ("registry", True),
        ("registry", False),
        ("registry", None),
        ("voting", True),
    ]
    text = table.render(rows)
    assert "MISSED" in text.splitlines()[3]
    assert text.count("ok") == 2
    markdown = table.render(rows, markdown=True)
    assert markdown.startswith("| bench | measure |")
    assert "| voting | vote / livez | 0.41 | ratio | 0.3 | ok |" in markdown
