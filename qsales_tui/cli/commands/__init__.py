"""One module per subcommand group; each defines ``register(subparsers)``.

A command's parser sets ``run=function(args, ctx) -> int`` with ``set_defaults``.
Modules here are discovered by ``qsales_tui.cli.main``; adding a command needs no
edit elsewhere.
"""
