"""Models: the built-in world's tiny Llama and tokenizer, and loading any checkpoint a run is given.

Files: `tiny` (the tiny Llama's config and constructor), `tokenizer` (byte-level BPE + chat
template), `fresh` (an untrained model and tokenizer for tests and benchmarks).
"""
