from django.core.management.base import BaseCommand, CommandError

from cases.audit import verify


class Command(BaseCommand):
    help = (
        "Walk every case's timeline hash chain and report the first broken link (exit status 1 when "
        "one is found). Print the heads digest to keep a copy off the machine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--show", type=int, default=10, help="how many breaks to list (default 10)")

    def handle(self, show=10, **options):
        try:
            report = verify(keep=max(show, 1))
        except RuntimeError as exc:  # SQLite: no triggers, no chain
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"verify_audit: {report.entries} entries in {report.chains} chains")
        self.stdout.write(f"heads digest: {report.heads_digest}")
        if report.ok:
            self.stdout.write("every chain is intact")
            return
        self.stdout.write(f"first broken link: {report.first.describe()}")
        for item in sorted(report.breaks, key=lambda b: (b.case_id, b.seq or 0))[:show]:
            self.stdout.write(f"  {item.describe()}")
        raise CommandError(f"{report.broken} broken links in the timeline")
