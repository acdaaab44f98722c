"""The demo data set loaded by `make demo` (`entraide load-demo`)."""
