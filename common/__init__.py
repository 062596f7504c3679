"""Small pieces shared by every app (below `accounts` in the layers; imports no app)."""
