"""Australia: DFAT's Consolidated List of persons and entities under Australian sanctions law."""
