"""Signals the signing app sends (the one sanctioned use of signals: a lower app telling higher
ones; STYLE.md).

`signing_job_finished(sender=SigningJob, job=...)`: a signing job reached DONE or FAILED. Sent
inside the transaction that records the outcome, so a receiver's writes (e.g. attaching the signed
file to its record) commit or roll back with it. Receivers look at `job.subject_type` and ignore
jobs that are not theirs.
"""

from django.dispatch import Signal

signing_job_finished = Signal()
