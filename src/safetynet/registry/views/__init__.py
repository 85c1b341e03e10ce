"""Registry pages, one module per screen family; each view is a thin shell over services."""
