"""The spam signals on names and companies this project did not design: tests/data/spam_signals/
names.csv holds real surnames, given names and company names from many countries and scripts
(none may be flagged, though several contain a 4-letter keyboard run: Doherty, Ewert, Liberty,
Azerbaijan Airlines) and spam strings (each must be flagged). One lead per row goes through the
real models up to int_lead_profile; the rates are printed (pytest -s) and stated in the README."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from conftest import AS_OF, MODELS_ONLY, query, run_cli, run_dbt

NAMES = Path(__file__).resolve().parents[1] / "data" / "spam_signals" / "names.csv"


def test_spam_signals_flag_spam_and_no_real_name(tmp_path):
    with NAMES.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    clean = [r for r in rows if r["expected"] == "clean"]
    assert len(clean) >= 200 and len({r["origin"] for r in clean}) >= 10

    db_path = tmp_path / "spam.duckdb"
    run_cli(["generate", "--leads", "20", "--seed", "1", "--as-of", AS_OF], db_path)
    values = []
    for i, row in enumerate(rows):
        names = {column: row["text"] if row["field"] == column else None
                 for column in ("first_name", "last_name", "company")}
        values.append((f"n{i}", names["first_name"], names["last_name"], names["company"]))
    con = duckdb.connect(str(db_path))
    try:
        template = con.execute("select * from raw.leads limit 1").fetchone()
        columns = [d[0] for d in con.description]
        con.execute("delete from raw.leads")
        con.execute("delete from raw.events")
        con.execute("delete from raw.conversions")
        for lead_id, first_name, last_name, company in values:
            row = dict(zip(columns, template))
            row.update(lead_id=lead_id, first_name=first_name, last_name=last_name, company=company,
                       email=f"{lead_id}@example.org")
            con.execute(f"insert into raw.leads ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
                        [row[c] for c in columns])
    finally:
        con.close()
    run_dbt(["build", "--select", "+int_lead_profile", *MODELS_ONLY, "--vars", f"{{score_as_of: '{AS_OF}'}}"],
            db_path, target_dir=tmp_path / "target")
    flagged = {lead_id: (name, keyboard) for lead_id, name, keyboard in query(
        db_path, "select lead_id, name_without_capital, keyboard_run from intermediate.int_lead_profile")}
    assert len(flagged) == len(rows)

    false_positives = [f"{r['text']} ({r['origin']}: {'lower case' if flagged[f'n{i}'][0] else 'keyboard run'})"
                       for i, r in enumerate(rows) if r["expected"] == "clean" and any(flagged[f"n{i}"])]
    missed = [r["text"] for i, r in enumerate(rows) if r["expected"] == "spam" and not any(flagged[f"n{i}"])]
    spam = len(rows) - len(clean)
    print(f"\nspam signals on {NAMES.name}: {len(false_positives)} false positives of {len(clean)} real names "
          f"and companies; {spam - len(missed)} of {spam} spam strings detected")
    assert not false_positives, false_positives
    assert not missed, missed
