"""Project rules for dbt-score (found in this namespace by default; run from the project root)."""

from dbt_score import Model, RuleViolation, Severity, rule


@rule(severity=Severity.HIGH)
def has_data_tests(model: Model) -> RuleViolation | None:
    """Every model has at least one data test, on the model or on one of its columns."""
    column_tests = [test for column in model.columns for test in column.tests]
    if not model.tests and not column_tests:
        return RuleViolation(message="Model has no data tests.")
