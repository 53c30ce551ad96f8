"""The coordinator: answers queries with retrieval and routes them between models."""
