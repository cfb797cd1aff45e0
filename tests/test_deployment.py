"""The production stack description (docker-compose.yml, Dockerfile) says what the README promises.

No Docker engine runs on the development machines, so the files are checked, not run.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services():
    assert set(compose()["services"]) == {"db", "redis", "web", "worker", "beat"}


def test_web_migrates_on_start_and_serves_with_gunicorn():
    command = compose()["services"]["web"]["command"]
    assert "migrate --noinput" in command and "gunicorn config.wsgi:application" in command


def test_app_services_run_with_production_settings_from_the_environment():
    for name in ("web", "worker", "beat"):
        env = compose()["services"][name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")


def test_exactly_one_beat_and_worker_without_beat():
    services = compose()["services"]
    assert "beat" in services["beat"]["command"]
    assert "--beat" not in services["worker"]["command"]


def test_redis_never_evicts_messages():
    assert "noeviction" in compose()["services"]["redis"]["command"]


def test_image_has_chinese_fonts_and_harfbuzz_subset():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "fonts-noto-cjk" in dockerfile and "libharfbuzz-subset0" in dockerfile
    assert "collectstatic" in dockerfile and "USER jiefen" in dockerfile
