"""Reading and writing seed files in the shape of the shipped ones (calibrate and train write
proposals and weights; they never edit a seed they did not create the rows of)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from leadscore.dbt import PROJECT_DIR
from leadscore.errors import UsageError

MODEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,62}")


def check_model_name(name: str, option: str = "--model") -> str:
    """A model name the runner writes into seeds and folder names: a plain name, never a path."""
    if not MODEL_NAME.fullmatch(str(name)):
        raise UsageError(f"{option} {str(name)[:40]!r}: use letters, digits and underscores, starting with a letter "
                         "(at most 63 characters)")
    return name


def read_seed(name: str) -> tuple[list[str], list[dict]]:
    return read_csv(PROJECT_DIR / "seeds" / f"{name}.csv")


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    """A seed-shaped CSV file: its header and its rows as {column: text}."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            return list(reader.fieldnames or []), list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"seeds/{path.name} cannot be read: {exc}") from None


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")  # like the shipped seeds
        writer.writeheader()
        writer.writerows(rows)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")[:40] or "value"
