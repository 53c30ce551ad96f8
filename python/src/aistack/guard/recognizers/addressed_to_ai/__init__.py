"""Text that addresses an AI reader directly (indirect injection)."""
