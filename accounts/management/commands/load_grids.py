from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.grids import load_grids, read_grid_file, read_post_file
from accounts.regions import RegionFileError


class Command(BaseCommand):
    help = "Load grids (village_code,code,name) and optionally their posts from CSV files; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--posts", type=Path, help="village_code,grid_code,username,post,started_on,ended_on"
        )

    def handle(self, path, posts=None, **options):
        for p in (path, posts):
            if p is not None and not p.exists():
                raise CommandError(f"{p}: no such file")
        try:
            result = load_grids(read_grid_file(path), read_post_file(posts) if posts else [])
        except RegionFileError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        self.stdout.write(
            f"grids: {result.grids_created} created, {result.grids_updated} updated; "
            f"posts: {result.posts_created} created"
        )
