"""Code that runs inside the sandbox container (copied into the image by `sandbox.image`).

A package only so that it ships in the wheel; the host never imports it, except the
tests of `referee_wire`. Each file is stdlib-only and runs on the image's Python 3.11.
"""
