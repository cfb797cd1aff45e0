from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, seed_demo
from accounts.roles import ROLE_LABELS


class Command(BaseCommand):
    help = (
        "Create the demo county (诸暨市), its units and one user per role per level, and (unless "
        "--no-activity) about 13 months of its work (seed_activity). Idempotent. "
        "--scale county|province adds generated cases on PostgreSQL (docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=["demo", "county", "province"], default="demo", help="data volume"
        )
        parser.add_argument("--disputes", type=int, help="number of disputes to generate (with --scale)")
        parser.add_argument("--petitions", type=int, help="number of petitions to generate (with --scale)")
        parser.add_argument("--regions", type=Path, help="division CSV file (default: by scale)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the generator")
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")
        parser.add_argument(
            "--no-activity", action="store_true", help="units and users only, no cases (the tests' demo)"
        )
        parser.add_argument(
            "--activity-scale",
            type=float,
            default=1.0,
            help="share of the demo's ~2,000 disputes and ~1,000 petitions",
        )

    def handle(self, scale, quiet=False, no_activity=False, activity_scale=1.0, **options):
        if scale != "demo":
            # The generator lives in the benchmarks app (top floor), reached by command name.
            options = {k: v for k, v in options.items() if k in ("disputes", "petitions", "regions", "seed")}
            return call_command("seed_scale", scale=scale, stdout=self.stdout, **options)
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo county ready: {len(logins)} users."))
        if not no_activity:
            # The cases live on higher floors (mediation, petitions, supervision, reporting): the
            # generator is in benchmarks (top floor), reached by command name.
            call_command(
                "seed_activity",
                scale=activity_scale,
                seed=options["seed"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        if quiet:
            return
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<28} {str(ROLE_LABELS[login.role]):<10} {login.unit}")
