"""The HTTP face: other projects' reward protocols, served beside gRPC in the same process.

    POST /run_code    SandboxFusion's (verl's `reward.sandbox_fusion.url`)   sandbox_fusion.py
    POST /get_reward  OpenRLHF's remote reward model (`--reward.remote_url`)   openrlhf.py
    GET  /health      200 while the server is up (no token needed, like gRPC health)

Each endpoint maps JSON to the same `Service` calls the gRPC servicer makes, and nothing more.
"""

from referee.http.app import HttpFace

__all__ = ["HttpFace"]
