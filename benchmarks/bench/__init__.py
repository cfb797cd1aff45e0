"""``manage.py bench`` (``make bench``): server time and query counts of the main pages and jobs on a
large database, each beside the time of its main SQL query run on its own (the floor).

Not a test: it prints figures and writes them to JSON; docs/performance.md records them.
"""
