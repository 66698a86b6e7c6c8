"""The built-in problem suite, written for this project (see spec.py for the format)."""
