"""Case work: the operations on a case that views and the command line call."""
