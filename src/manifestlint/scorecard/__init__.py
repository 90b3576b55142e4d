"""The checklist scorecard: where the input stands against the K8S Production Checklist.

``model.build`` judges every checklist item from a run's report; ``text``, ``markdown`` and ``html``
render it (``manifestlint checklist PATH --format text|markdown|html``).
"""
