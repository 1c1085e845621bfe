"""Parameters: the schema (dataclasses), its checks, composition with Hydra, and the generated reference."""
