"""Web: the shell every page shares (layout, navigation, home page, error pages)."""
