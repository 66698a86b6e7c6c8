"""codefrontier: train, blend and judge code models along correctness-efficiency frontiers."""

__version__ = "0.1.0"
