"""Ray, when the deploy tests start a cluster, keeps every address on loopback: its
single-machine IP choice, read when `ray` is first imported (hence here, before the tests
import it). Otherwise it binds the host's outward address, which tests never target."""

import os

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
