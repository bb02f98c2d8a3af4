"""Helpers of run_reference.py and make_checkpoints.py (our code; the ZSI
reference itself is imported from a checkout given at run time)."""
