from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """`make bench` and the province-scale seeder. Top floor: nothing imports it."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
