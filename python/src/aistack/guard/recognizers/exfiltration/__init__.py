"""Requests to reveal the hidden setup or to send data somewhere."""
