"""codefrontier.train"""
