"""Adapter-level services: live channel games (timers, store writes) and their presenters."""
