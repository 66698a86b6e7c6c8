"""codefrontier.sample"""
