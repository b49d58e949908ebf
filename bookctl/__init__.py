"""bookctl: turn a Docusaurus book into a grounded, cited study assistant."""

__version__ = "0.1.0"
