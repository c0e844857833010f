"""Scheduling: crawl children with timeouts, the daemon, its lock."""
