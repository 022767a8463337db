"""cfglint's rules: one package per family, one module per rule."""
