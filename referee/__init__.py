"""referee: sandboxed reward and verification engine for RL training of reasoning models.

The service face: settings (`referee.config`), the gRPC server (`referee.server`), the
clients (`referee.client`) and the command line (`referee.cli`). Rewards live in the
`rewards` package, the container sandbox in `sandbox`, the GRPO client in `trainer`.
"""

__version__ = "0.1.0"
