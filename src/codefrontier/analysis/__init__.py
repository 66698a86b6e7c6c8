"""codefrontier.analysis"""
