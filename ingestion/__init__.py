"""Collection: dlt sources that land crawled pages and API posts in the warehouse's `raw` schema."""
