"""HTTP entrypoints: they translate requests into service calls and nothing more."""
