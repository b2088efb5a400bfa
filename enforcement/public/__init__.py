"""The public pages: the takedown report (naming), published decisions (art. 9), open data."""
