"""Stage 9, the command line: parse, check, batch and demo.

:mod:`~gxnianbao.cli.main` builds the argument parser and runs a command; each command has
its module (:mod:`~gxnianbao.cli.demo`, :mod:`~gxnianbao.cli.parse`,
:mod:`~gxnianbao.cli.check`, :mod:`~gxnianbao.cli.batch`); :mod:`~gxnianbao.cli.inputs` reads
one input and holds the exit statuses; :mod:`~gxnianbao.cli.render` draws findings with carets.
"""
