"""Writes Spark tables to Parquet files, for comparing a Spark build with a DuckDB build.

Run from the dbt project folder that holds Spark's metastore_db/ (dbt-spark's session method):
    python tests/pytest/export_spark_tables.py OUT_DIR main.lead_scores main.lead_score_reasons ...
Each table becomes OUT_DIR/<table>.parquet (a Spark output folder).
"""

import sys

from pyspark.sql import SparkSession


def main(out_dir: str, tables: list[str]) -> int:
    spark = (SparkSession.builder.appName("lead-scoring-export").enableHiveSupport()
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
    try:
        for table in tables:
            name = table.split(".")[-1]
            spark.table(table).coalesce(1).write.mode("overwrite").parquet(f"{out_dir}/{name}.parquet")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
