"""The notice board of a township or village (公示栏) and the county's oversight settings."""
