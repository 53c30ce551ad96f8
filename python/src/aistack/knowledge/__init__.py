"""The knowledge base: documents in Qdrant, query results cached in Redis."""
