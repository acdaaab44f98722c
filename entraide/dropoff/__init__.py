"""Drop-off points, their hosts and fill levels, home collections and collection rounds."""
