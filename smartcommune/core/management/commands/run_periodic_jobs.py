import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.celery import app
from smartcommune.core.scheduler import EmbeddedScheduler


class Command(BaseCommand):
    help = "Run the periodic jobs of config/celery.py in-process (embedded default, no broker)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due now, then exit.")
        parser.add_argument("--job", help="Run this job now, whatever its schedule, then exit.")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args, **options):
        scheduler = EmbeddedScheduler(app, settings.VAR_DIR / "periodic_jobs.json")
        if options["job"]:
            if options["job"] not in app.conf.beat_schedule:
                raise CommandError(
                    f"Unknown job {options['job']!r}; known: {', '.join(app.conf.beat_schedule)}"
                )
            scheduler.run(options["job"])
            self.stdout.write(f"ran {options['job']}")
            return
        if options["once"]:
            for name in scheduler.tick():
                self.stdout.write(f"ran {name}")
            return
        self.stdout.write(f"periodic jobs: {', '.join(app.conf.beat_schedule)}")
        scheduler.run_forever(threading.Event(), options["interval"])
