"""Days the Crown adds to the Atw holidays by decree (art. 3(3)), kept as data staff can update."""
