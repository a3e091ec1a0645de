"""Settings gunicorn reads when started in this folder; command-line flags still win."""

import gc


def post_worker_init(worker) -> None:
    """Once a worker has loaded the app, set what it loaded (modules, templates, fonts,
    translations) aside from the garbage collector, which otherwise walks it all again on
    every full collection, a pause of tens of milliseconds in the middle of a request."""
    gc.collect()
    gc.freeze()
