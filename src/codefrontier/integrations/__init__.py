"""codefrontier.integrations"""
