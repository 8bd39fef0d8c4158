"""Benchmarks and the load run (`make bench`, `make load`); see bench/README.md. Not part of the product."""
