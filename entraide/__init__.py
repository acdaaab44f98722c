"""entraide: connect people who need help with the people who can give it."""
