"""Authoring: draft facts from a plain-text article (`quizbot extract`).

The running bot never imports this package.
"""
