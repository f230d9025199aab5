"""Helpers shared by the robustness tests: raw HTTP, fault-injecting fakes, in-process stacks."""
