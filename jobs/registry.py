"""The kinds of job the apps above offer, each registered from AppConfig.ready().

A runner is `runner(job, progress)`: it calls `progress(done, total)` as it
goes and returns `(file_name, content_bytes)`. It must be safe to run again
for the same job (a worker that died is retried): it only reads the
database and returns a file, which replaces any earlier one.
"""

runners = {}


def register(kind, runner):
    runners[kind] = runner
