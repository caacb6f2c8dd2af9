from trajectories.charts import bar_chart  # noqa: F401
