"""Stage 8, batches: many files to one dataset, in parallel, resumable.

In the order a run uses them:

- :mod:`~gxnianbao.batch.files`: which files (``collect_files``), and ``DatasetError``;
- :mod:`~gxnianbao.batch.process`: one file to its rows (``process_file``, the function to
  map on Dask or Spark; imports no process machinery);
- :mod:`~gxnianbao.batch.sinks`: rows encoded and written as CSV, JSON lines or typed Parquet
  (in row groups that a killed run keeps);
- :mod:`~gxnianbao.batch.resume`: what an existing output already holds (``--resume``);
- :mod:`~gxnianbao.batch.worker`: what a worker process does with its files, and the
  ``FileTimeoutError``/``FileMemoryError`` a stopped file is recorded with;
- :mod:`~gxnianbao.batch.signals`: SIGINT and SIGTERM for a run, and a worker's end when its
  parent dies;
- :mod:`~gxnianbao.batch.workers`: the worker processes, each file under a time and memory
  bound, a stopped or dead worker replaced;
- :mod:`~gxnianbao.batch.pool`: ``build_dataset``, the whole command.

The row shapes themselves are an export concern: :mod:`gxnianbao.export.rows`.  This package
imports none of its modules, so that ``import gxnianbao.batch.process`` stays light.
"""
