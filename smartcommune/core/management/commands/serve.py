import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from config.celery import app
from smartcommune.core.scheduler import EmbeddedScheduler


class Command(BaseCommand):
    help = (
        "Serve the platform for the embedded default: the web server plus, when no broker is "
        "configured, the periodic jobs in a background thread."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        if not settings.CELERY_BROKER_URL:
            scheduler = EmbeddedScheduler(app, settings.VAR_DIR / "periodic_jobs.json")
            threading.Thread(
                target=scheduler.run_forever,
                args=(threading.Event(), 30.0),
                name="periodic-jobs",
                daemon=True,
            ).start()
            self.stdout.write(f"Periodic jobs running in-process: {', '.join(app.conf.beat_schedule)}")
        call_command("runserver", options["addr"], use_reloader=False)
