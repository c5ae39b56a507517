from listen.cli import entry

entry()
