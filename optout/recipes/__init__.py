"""The recipes: their schema (strict, errors pointing at the YAML line), the catalogue that loads
and validates `platforms.yaml`, the name patterns controls are matched by, the scaffold for a new
platform, the platform overview, and the signed (TUF) catalogue updates with the maintainers'
publishing tool. Data and its checks only: nothing here opens a browser.
"""
