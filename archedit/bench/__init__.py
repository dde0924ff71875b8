"""``archedit bench``: run a suite of tasks in several model configurations.

A suite is a folder of tasks; each task has the text the architect sees,
acceptance tests the models never see and a reference solution. Every task
runs in every configuration; the generated package is scored by the share of
acceptance tests it passes in the sandbox, and the runs are summarised into
cost, local share, escalation rate, quality, time and tokens.
"""
