"""OpenSanctions' FollowTheMoney (FtM): entity JSON read as a list (``ftm_json``) and the
conversion between the model and FtM entities (``ftm``) that exports use."""

from __future__ import annotations

__all__: list[str] = []
