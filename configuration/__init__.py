"""The scenario configuration: its schema, how it is read, overridden, checked and explained.

`scenario` assembles `ScenarioConfig` from the sections (`sections_ship`, `sections_world`) and
the role catalogs of `world.cast`, within the bounds of `limits`. `loading` reads, validates and
writes scenarios; `overrides` applies `--set`; `problems` turns pydantic's errors into
sentences, with keys and values shown as in `shown_values`; `reference` generates the config
reference (`callister schema`). Every TOML input is read by `toml_input`, every user-named file
by `input_files`, and every bad input raises a subclass of `errors.UserError`.

This package imports `agents` and `world.cast` only, so every layer can import it without a
cycle. The role catalogs live beside their Mesa agents in `world/cast/`, so building the schema
loads the cast (and Mesa, about 1.5 s); this file imports nothing, so `configuration.limits`
or `configuration.errors` can be imported without building the schema.
"""
