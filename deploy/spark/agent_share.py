"""The agent share of commits per month, with Spark SQL, from an `agentscan export` folder.

    agentscan export --db agentscan.db --format parquet --partition month --output export
    spark-submit deploy/spark/agent_share.py export        # or: python3 deploy/spark/agent_share.py export

Any Spark (local, YARN, Kubernetes, Databricks) reads the folder as it is: the Parquet files are
typed (timestamps, booleans, lists), and the month folders become a `month` column.
"""

import sys

from pyspark.sql import SparkSession

folder = sys.argv[1] if len(sys.argv) > 1 else "export"
spark = (
    SparkSession.builder.appName("agentscan agent share")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)
spark.read.parquet(f"{folder}/commits").createOrReplaceTempView("commits")
spark.sql(
    """
    SELECT date_format(author_time, 'yyyy-MM') AS period,
           count_if(class = 'agent') AS agent_commits,
           round(100 * count_if(class = 'agent') / count_if(class IN ('agent', 'human')), 1)
               AS agent_share
    FROM commits
    WHERE reachable AND NOT is_merge
    GROUP BY period
    ORDER BY period
    """
).show(1000)
spark.stop()
