"""Chat-template and role markers planted in content."""
