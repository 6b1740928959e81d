"""Run Celery's beat schedule in-process for the embedded default (no broker, no `celery beat`).

The schedule itself stays in `config/celery.py`; this only decides when each entry is due (using
Celery's own schedule objects) and calls the task inline. Last-run times are kept in a small JSON
file so that a restart neither skips nor repeats a job.
"""

import json
import logging
import threading
from datetime import datetime
from pathlib import Path

from celery import Celery
from django.utils import timezone

log = logging.getLogger(__name__)


class EmbeddedScheduler:
    def __init__(self, app: Celery, state_path: Path):
        self.app = app
        self.state_path = state_path
        self._last_run: dict[str, datetime] = self._load()
        # Task modules are found lazily by Celery; import them now so the entries resolve.
        app.loader.import_default_modules()

    def _load(self) -> dict[str, datetime]:
        try:
            raw = json.loads(self.state_path.read_text())
        except (FileNotFoundError, ValueError):
            return {}
        return {name: datetime.fromisoformat(value) for name, value in raw.items()}

    def _save(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({k: v.isoformat() for k, v in self._last_run.items()}))
        tmp.replace(self.state_path)

    def due_entries(self, now: datetime | None = None) -> list[str]:
        now = now or timezone.now()
        due = []
        for name, entry in self.app.conf.beat_schedule.items():
            last = self._last_run.get(name)
            if last is None:
                # A new job starts counting from now, as `celery beat` does.
                self._last_run[name] = now
                continue
            # Celery schedules measure from their own clock; turn that into an absolute next run.
            next_run = timezone.now() + entry["schedule"].remaining_estimate(last)
            if next_run <= now:
                due.append(name)
        return due

    def run(self, name: str, now: datetime | None = None):
        entry = self.app.conf.beat_schedule[name]
        task = self.app.tasks[entry["task"]]
        log.info("periodic job %s starting", name)
        result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        self._last_run[name] = now or timezone.now()
        self._save()
        return result

    def tick(self, now: datetime | None = None) -> list[str]:
        ran = []
        for name in self.due_entries(now):
            try:
                self.run(name, now)
            except Exception:  # one failing job must not stop the others
                log.exception("periodic job %s failed", name)
            ran.append(name)
        self._save()
        return ran

    def run_forever(self, stop: threading.Event, interval: float = 30.0) -> None:
        while not stop.is_set():
            self.tick()
            stop.wait(interval)
