from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import REGION_FILE
from benchmarks.scale.load import seed_scale

# The whole province (shared/data beside the repository); the demo county's file for --scale county.
PROVINCE_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "regions-zhejiang.csv"
SCALES = {
    # scale: (disputes, petitions, region file)
    "county": (20_000, 20_000, REGION_FILE),
    "province": (1_000_000, 1_000_000, PROVINCE_FILE),
}


class Command(BaseCommand):
    help = (
        "Generate cases at county or province scale on PostgreSQL (docs/performance.md); "
        "`seed_demo --scale …` calls this."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="county", help="data volume")
        parser.add_argument("--disputes", type=int, help="number of disputes to generate")
        parser.add_argument("--petitions", type=int, help="number of petitions to generate")
        parser.add_argument("--regions", type=Path, help="division CSV file (default: by scale)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the generator")

    def handle(self, scale, disputes=None, petitions=None, regions=None, seed=2026, **options):
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
