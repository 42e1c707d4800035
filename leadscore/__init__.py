"""leadscore: the Python side of the lead-scoring dbt project - a thin CLI (leadscore.cli) over
one module per command (leadscore.commands), dbt through its Python API (leadscore.dbt),
relation names from dbt's manifest (leadscore.relations), and the synthetic data, predictive
model, report and validation the commands use.

    leadscore run            # the main job
    python -m leadscore run  # the same
    from leadscore.cli import main; main(["build", "--as-of", "2026-06-30"])
"""

__version__ = "0.2.0"
