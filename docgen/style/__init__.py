"""Style profile: GB/T 9704-2012 base plus unit overrides, and the values derived from it."""

from docgen.style.profile import Profile, load_profile

__all__ = ["Profile", "load_profile"]
