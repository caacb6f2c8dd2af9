"""Views of trajectories, one module per area; ``trajectories/urls.py`` points at them."""
