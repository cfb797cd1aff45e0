from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, REGION_FILE, seed_demo
from accounts.roles import ROLE_LABELS

# The whole province (shared/data beside the repository); the demo county's file for --scale county.
PROVINCE_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "regions-zhejiang.csv"
SCALES = {
    # scale: (disputes, petitions, region file)
    "county": (20_000, 20_000, REGION_FILE),
    "province": (1_000_000, 1_000_000, PROVINCE_FILE),
}


class Command(BaseCommand):
    help = (
        "Create the demo county (诸暨市), its units and one user per role per level. Idempotent. "
        "--scale county|province adds generated cases on PostgreSQL (docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", *SCALES], default="demo", help="data volume")
        parser.add_argument("--disputes", type=int, help="number of disputes to generate (with --scale)")
        parser.add_argument("--petitions", type=int, help="number of petitions to generate (with --scale)")
        parser.add_argument("--regions", type=Path, help="division CSV file (default: by scale)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the generator")
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")

    def handle(self, scale, quiet=False, **options):
        if scale != "demo":
            return self._scale(scale, **options)
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo county ready: {len(logins)} users."))
        if quiet:
            return
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<28} {str(ROLE_LABELS[login.role]):<10} {login.unit}")

    def _scale(self, scale, disputes=None, petitions=None, regions=None, seed=2026, **options):
        # Imported here: the generator writes case tables, which live above accounts.
        from benchmarks.scale.load import seed_scale

        default_disputes, default_petitions, default_regions = SCALES[scale]
        regions = regions or default_regions
        if not regions.exists():
            raise CommandError(f"{regions}: no such file (give --regions)")
        try:
            seed_scale(
                disputes=default_disputes if disputes is None else disputes,
                petitions=default_petitions if petitions is None else petitions,
                regions_path=regions,
                seed=seed,
                log=lambda line: self.stdout.write(line),
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
