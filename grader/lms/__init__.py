"""Learning platforms' formats: collecting their downloads of submissions (`grade collect`)."""
