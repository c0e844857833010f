"""Crawler: discovery, fetching, extraction, relevance matching, pipelines."""
