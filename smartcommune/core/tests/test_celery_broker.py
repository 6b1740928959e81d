"""With CELERY_BROKER_URL set, tasks go through the broker to a separate worker process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery

from tests.support.services import redis_up

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(not redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_task_round_trip_through_redis_and_a_real_worker():
    broker = "redis://127.0.0.1:6379/15"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING", "-Q", "ci-roundtrip"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        client = Celery(broker=broker, backend=broker)
        result = client.send_task("smartcommune.core.tasks.ping_task", queue="ci-roundtrip")
        assert result.get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
