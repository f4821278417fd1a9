"""Developer tools run from a checkout (tox envs); not part of the installed package."""
