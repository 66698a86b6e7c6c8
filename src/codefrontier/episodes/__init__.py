"""Episodes: how a model is asked about a problem, in every setting, for training and evaluation.

One protocol serves sampling (`sample/`) and training (`train/`), so both sit above it.
Files, read in this order: `backend` (the interface + a scripted fake), `protocol` (prompt
templates in `templates/`, the plain-text tool-call protocol, feedback formatting), `prompts`
(the chat opening for a problem), `settings` (episodes: reasoning | tool | agent), `judging`
(the judge swap point); backends: `hf_backend`, `vllm_backend`, `http_backend`.
Everything imported here is torch-free.
"""
