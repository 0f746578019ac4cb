"""Typed read models: what pages, the CLI and documents show, built by the services in one
unit of work. They depend on the domain only, so ``riskmotor.export`` can lay them out
without knowing where they came from."""
