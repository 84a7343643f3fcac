"""Views people use: the static site, the data card, the stats tables and plot."""
