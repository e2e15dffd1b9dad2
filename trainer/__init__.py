"""A thin GRPO client of the referee server (needs the `trainer` extra: torch, transformers, matplotlib).

    config.py      pydantic configs for `referee train` / `referee sft`, loaded from YAML
    grpo.py        the GRPO loop, top to bottom
    rollout.py     sampling G completions per prompt; per-token log-probs
    advantages.py  group-relative advantages (group / batch / no std scaling)
    loss.py        clipped surrogate (clip-higher), grpo / dr_grpo / dapo aggregation, k3 KL
    scoring.py     one Score call per group, in flight while the trainer computes log-probs
    sft.py         cold-start fine-tuning on worked examples
    filter.py      rejection-sampling filter for distillation data
    metrics.py     JSONL metrics and the PNG of the R1 curves
    tasks.py       generated multi-digit addition with worked steps
    tokenizer.py   a character tokenizer that ships with the code
    models.py      a local checkpoint or a tiny GPT-2 from a config
    local_server.py  a real referee server in a background thread (tests, benchmarks)
    trl.py, verl.py  the referee as TRL / verl reward functions
    cli.py         the typer commands `train`, `sft`, `filter`

Importing `trainer` itself imports nothing heavy.
"""
