"""Headquarters: the sync API, storage, catalogue publishing, admin site and mDNS announcement."""
