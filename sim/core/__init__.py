"""The lowest layer: month arithmetic, errors that carry a message for the user, and the
vocabulary (post kinds, levels, sectors, event kinds), each declared once."""
