"""Orders to drop, void or outrank the model's instructions."""
