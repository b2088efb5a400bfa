"""The fine category amounts (art. 23 Sr) the maximum fine of art. 8 rests on, as dated data."""
