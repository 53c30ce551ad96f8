"""The task runner: coding agents queued and run in a bubblewrap sandbox."""
