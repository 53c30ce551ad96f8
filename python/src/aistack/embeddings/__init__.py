"""The embeddings service: text in, vectors out, cached in Redis."""
