"""Views of the case core, one module per screen or area."""
