"""Canada: the Consolidated Canadian Autonomous Sanctions List (SEMA and JVCFOA regulations)."""
