"""Settings gunicorn reads when started in this folder; command-line flags still win."""

import gc
import os

if os.path.isdir("/dev/shm"):
    # Workers tell the master they are alive by touching a file on every request; in memory
    # that costs nothing and never waits for a disk.
    worker_tmp_dir = "/dev/shm"


def post_worker_init(worker) -> None:
    """Once a worker has loaded the app, set what it loaded (modules, templates, fonts,
    translations) aside from the garbage collector, which otherwise walks it all again on
    every full collection, a pause of tens of milliseconds in the middle of a request."""
    gc.collect()
    gc.freeze()
