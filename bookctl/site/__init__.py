"""Reading a Docusaurus site exactly as Docusaurus does: options, sidebars, docs, MDX."""
