"""The read-only web view (``storywatch serve``)."""
