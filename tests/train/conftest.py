from cf_fakes import fake_items, judge_stub

__all__ = ["fake_items", "judge_stub"]
