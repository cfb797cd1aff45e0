"""Province-scale data for benchmarks (``seed_demo --scale province``; docs/performance.md).

``org`` builds the province tree with units and users for every county, town and village in bulk;
``rows`` turns each generated case into the lines of every table it touches; ``load`` streams them
into PostgreSQL with COPY, a chunk of cases per transaction, and advances the case-number counters
and id sequences so that cases registered afterwards never collide with the generated ones.
"""
