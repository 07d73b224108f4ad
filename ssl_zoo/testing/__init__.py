"""Test helpers: float64 oracles and backend-neutral gradients."""
