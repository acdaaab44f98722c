"""The demo data set loaded by `make demo` (`entraide load_demo`), written through the services."""
