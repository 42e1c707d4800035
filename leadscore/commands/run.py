"""leadscore run: the main job - generate demo data when the warehouse has no raw data, build,
validate, and print the top leads per model with their three strongest reasons and the count per
band and matrix cell."""

from __future__ import annotations

import argparse
import sys

from leadscore import relations, synthetic, warehouse
from leadscore.commands import build, generate, validate
from leadscore.dbt import Project
from leadscore.errors import UsageError


def run(args, project: Project, summary: dict) -> int:
    path = project.require_duckdb("run")
    warehouse.check_openable(path)
    present = []
    if path.exists():
        with warehouse.connect(path) as con:
            present = synthetic.raw_tables_present(con)
    if not present:
        print(f"no raw data in {path.name}: generating a demo dataset ({args.leads:,} leads)")
        summary["generated_demo_data"] = True
        generate.run(argparse.Namespace(as_of=None, leads=args.leads, seed=args.seed, bad_rate=args.bad_rate,
                                        replace=False), project, {})
    elif len(present) < 3:
        raise UsageError(f"raw schema has only {', '.join(present)}: leads, events and conversions are all required")
    code = build.run(args, project, summary)
    if code:
        print("build failed: see the errors above", file=sys.stderr)
        return code
    code = validate.run(args, project, summary)
    print_top_leads(project, args.top)
    return code


def print_top_leads(project: Project, top: int) -> None:
    names = relations.Relations.load(project)
    with warehouse.connect(project.target.duckdb_path) as con:
        models = [r[0] for r in con.execute(f"select distinct model from {names['lead_scores']} order by 1").fetchall()]
        for model in models:
            print(f"\n== {model}: top {top} leads ==")
            rows = con.execute(f"""
                with top_leads as (
                    select * from {names['lead_scores']} where model = ?
                    order by total_score desc, lead_id limit ?
                ),
                reasons as (
                    select lead_id, rule_id, points,
                           row_number() over (partition by lead_id order by points desc, rule_id) as rn
                    from {names['lead_score_reasons']}
                    where model = ? and reason_type = 'rule' and points > 0
                )
                select t.lead_id, t.total_score, t.fit_score, t.engagement_score, t.score_band, t.score_matrix,
                       t.is_mql,
                       string_agg(r.rule_id || ' +' || cast(r.points as varchar), ', ' order by r.rn) as reasons
                from top_leads t left join reasons r on t.lead_id = r.lead_id and r.rn <= 3
                group by all
                order by t.total_score desc, t.lead_id
            """, [model, top, model]).fetchall()
            print(f"{'lead_id':<12} {'total':>6} {'fit':>6} {'eng':>6} {'band':<8} {'cell':<4} mql  strongest reasons")
            for lead_id, total, fit, eng, band, cell, mql, reasons in rows:
                print(f"{lead_id:<12} {total:>6} {fit:>6} {eng:>6} {band or '-':<8} {cell or '-':<4} "
                      f"{'yes' if mql else 'no ':<4} {reasons or ''}")
            bands = con.execute(f"""select coalesce(score_band, '(none)'), count(*), sum(case when is_mql then 1 else 0 end)
                                    from {names['lead_scores']} where model = ? group by 1 order by 2 desc""",
                                [model]).fetchall()
            print("band counts: " + ", ".join(f"{b}={n:,} (mql {m:,})" for b, n, m in bands))
            cells = con.execute(f"""select coalesce(score_matrix, '-'), count(*) from {names['lead_scores']}
                                    where model = ? group by 1 order by 1""", [model]).fetchall()
            print("matrix cells: " + ", ".join(f"{c}={n:,}" for c, n in cells))
