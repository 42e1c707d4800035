"""Project rules for dbt-score: loaded from the submodules of this package (run from the project root)."""
