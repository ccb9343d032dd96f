"""The command line: ``qsales`` opens the app; subcommands run the same core headless."""
