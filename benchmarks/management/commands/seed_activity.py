from django.core.management.base import BaseCommand

from benchmarks.demo.activity import prepare_frozen_pdfs, seed_activity


class Command(BaseCommand):
    help = (
        "Fill the demo county with about 13 months of work (benchmarks.demo.activity); "
        "`seed_demo` calls this unless --no-activity. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="share of the ~2,000 disputes and ~1,000 petitions"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, scale=1.0, seed=2026, **options):
        result = seed_activity(scale=scale, seed=seed)
        if not result.created:
            self.stdout.write("Demo activity: the county already has cases; nothing added.")
            return
        result.timings["statistics PDFs"] = pdfs = prepare_frozen_pdfs()
        result.seconds += pdfs
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo activity: {result.disputes} disputes and {result.petitions} petitions "
                f"in {result.seconds:.1f} s ({steps})."
            )
        )
        for failure in result.failed:
            self.stderr.write(f"  not walked: {failure}")
