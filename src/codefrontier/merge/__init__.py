"""codefrontier.merge"""
