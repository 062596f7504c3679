"""The web process's garbage collector, set for request work.

A request allocates many short-lived objects; Python's default first threshold (700) runs a young
collection every few hundred of them, and every so often a full collection walks every object
the process holds (Django, the apps, compiled templates): 50-130 ms pauses that land in the p95
of the register (measured with `bench/run.py --postgres`). `settle()` runs once when the process
has loaded the application: it collects, freezes what is loaded (a full collection no longer
walks it; forked workers also keep sharing those memory pages) and raises the first threshold,
so fewer objects outlive young collections and full collections become rare. Reference counting
still frees almost everything at once; only cycles wait a little longer.
"""

import gc

FIRST_THRESHOLD = 10_000


def settle() -> None:
    """Collect, freeze what the process has loaded, and raise the first threshold."""
    gc.collect()
    gc.freeze()
    _first, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_THRESHOLD, second, third)
