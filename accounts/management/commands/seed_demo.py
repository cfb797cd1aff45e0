from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, seed_demo
from accounts.roles import ROLE_LABELS


class Command(BaseCommand):
    help = "Create the demo county (诸暨市), its units and one user per role per level. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "county", "province"],
            default="demo",
            help="data volume; only 'demo' exists so far (large volumes come with the benchmark work)",
        )
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")

    def handle(self, scale, quiet=False, **options):
        if scale != "demo":
            raise CommandError(
                f"--scale {scale} is not built yet: large data sets arrive with the performance "
                "benchmark (seed_demo --scale). Use --scale demo."
            )
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo county ready: {len(logins)} users."))
        if quiet:
            return
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<28} {str(ROLE_LABELS[login.role]):<10} {login.unit}")
